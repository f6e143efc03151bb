import type { SwitchoverFacts } from '../../../installers/postgresql/switchover-checks.js';
import type { RecoveryContext } from '../recovery/context.js';
import type { SwitchIntent } from './intent.js';

/** What the switchover learns before it plans: the facts both nodes gave, or the run it resumes. */
export interface SwitchoverContext extends RecoveryContext {
  switchFacts?: SwitchoverFacts;
  intent?: SwitchIntent;
  runOn?: 'master' | 'standby';
  password?: string;
}
