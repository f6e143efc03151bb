import { version } from '../../version.js';
import { readLocal } from '../../../installers/postgresql/live.js';
import { writeState } from '../state.js';
import { known, type RecoveryContext } from './context.js';

/**
 * After a role change: the node's state file again, its history read back from the pair's
 * database (where the flow recorded the change, on this node or on its peer).
 */
export async function recordPairState(ctx: RecoveryContext): Promise<void> {
  const { state, ref } = known(ctx);
  const live = await readLocal(ref, ctx.log);
  writeState(ctx.options.stateDir, {
    ...state,
    buildVersion: version,
    systemIdentifier: live.systemId ?? state.systemIdentifier,
    history: live.history && live.history.length >= state.history.length ? live.history : state.history,
    updatedAt: new Date().toISOString(),
  });
}
