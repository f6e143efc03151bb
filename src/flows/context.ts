import type { AnswerSources } from '../answers/resolve.js';
import type { Answers } from '../answers/types.js';
import type { Cluster } from '../../installers/postgresql/cluster.js';
import type { Plan } from '../engine/actions.js';
import type { FrontEnd } from '../prompts/prompter.js';
import type { MachineFacts } from '../system/facts.js';
import type { Logger } from '../system/log.js';

/** Flags that shape a run rather than answer a question. */
export interface RunOptions {
  dryRun: boolean;
  yes: boolean;
  answersFile?: string;
  saveAnswers?: string;
  /** Replace an existing --save-answers file. */
  force?: boolean;
  stateDir: string;
  logDir: string;
  factsFile?: string;
}

/** Everything one install run carries from step to step. Steps take the narrow part they need. */
export interface InstallContext {
  ui: FrontEnd;
  sources: AnswerSources;
  answers: Partial<Answers>;
  facts: MachineFacts;
  log: Logger;
  options: RunOptions;
  /** Timestamp of this run: log name, backup folder, moved-aside suffix. */
  stamp: string;
  plan?: Plan;
  /** The local PostgreSQL cluster as the replication preflight described it, for the plan. */
  pgCluster?: Promise<Cluster>;
  /** Rows of the checks shown so far, for the summary and the log. */
  notes: string[];
}

export interface Step {
  id: string;
  title: string;
  /** Skipped (and shown as skipped) when false for the answers so far. */
  when?: (answers: Partial<Answers>) => boolean;
  run: (ctx: InstallContext) => Promise<void>;
}

export { isHa, replicates } from '../answers/types.js';

export function runStamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
