import type { AnswerSources } from '../answers/resolve.js';
import type { Answers, CommandName } from '../answers/types.js';
import type { Cluster } from '../../installers/postgresql/cluster.js';
import type { Plan } from '../engine/actions.js';
import type { FrontEnd } from '../prompts/prompter.js';
import type { MachineFacts } from '../system/facts.js';
import type { Invocation } from '../system/invocation.js';
import type { Logger } from '../system/log.js';

export type { CommandName } from '../answers/types.js';

/** Flags that shape a run rather than answer a question. */
export interface RunOptions {
  dryRun: boolean;
  yes: boolean;
  answersFile?: string;
  saveAnswers?: string;
  stateDir: string;
  logDir: string;
  factsFile?: string;
  /**
   * Replace an existing --save-answers file; for promote also: go on although the master answers
   * as a writable primary (`reason` is recorded).
   */
  force?: boolean;
  reason?: string;
  /** restore-master: a full clone, not a rewind. */
  clone?: boolean;
  /**
   * promote: run by the failover monitor, which has just proved the master gone (decide.ts):
   * why, recorded in the log and the pair's history. The master is not asked again (a cut-off
   * master would cost a connect timeout of the failover's few seconds).
   */
  automatic?: string;
  /** teardown on the standby: promote it to a standalone server with its data, instead of moving the data aside. */
  keepData?: boolean;
  /** teardown: keep the replication role. */
  keepRole?: boolean;
}

/**
 * What every command's run carries from step to step: answers and where they come from, the
 * machine, the front end, the log. Steps take the narrow part they need (`Pick<...>`).
 */
export interface FlowContext {
  command: CommandName;
  ui: FrontEnd;
  sources: AnswerSources;
  answers: Partial<Answers>;
  facts: MachineFacts;
  log: Logger;
  options: RunOptions;
  /** Timestamp of this run: log name, backup folder, moved-aside suffix. */
  stamp: string;
  /** How this run was started, to print commands that work as printed. */
  invocation: Invocation;
  plan?: Plan;
  /** Secrets the plan's actions need, by name (the backup password). */
  secrets: Record<string, string>;
  /** What was noticed on the way, for the summary. */
  notes: string[];
  /** The next steps the summary ends with. */
  next: string[];
}

/** The install's extra: the local cluster as the replication preflight described it, for the plan. */
export interface InstallContext extends FlowContext {
  pgCluster?: Promise<Cluster>;
}

export interface Step<C extends FlowContext = FlowContext> {
  id: string;
  title: string;
  /** Skipped (and shown as skipped) when false. */
  when?: (ctx: C) => boolean;
  /** Whether a dry run gets this far: false for the confirmation and the apply. */
  changes?: boolean;
  run: (ctx: C) => Promise<void>;
}

/** A command is a list of steps over the one runner (src/flows/run-flow.ts). */
export interface Flow<C extends FlowContext = FlowContext> {
  command: CommandName;
  /** The front end's header. */
  title: string;
  /** Changes the machine: refused without root unless it is a dry run. */
  needsRoot: boolean;
  steps: Step<C>[];
  /** The summary's heading after a run that applied its plan. */
  doneTitle: string;
  /** Builds the flow's own context from the common one (defaults to the common one). */
  extend?: (ctx: FlowContext) => C;
}

export { isHa, replicates } from '../answers/types.js';

export function runStamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
