import type { Logger } from '../system/log.js';

/**
 * A plan is data: installers return actions, the engine applies them. Each action has a
 * stable `id` (the journal records finished ids so a re-run after a crash resumes) and a
 * `title` shown in progress and in the dry run.
 */
interface Base {
  id: string;
  title: string;
}

/** OS packages: `install` are missing and will be installed; `present` are already there (nothing to do). */
export interface PackagesAction extends Base {
  kind: 'packages';
  manager: 'apt' | 'dnf' | 'yum';
  install: string[];
  present: string[];
}

/** Write a whole file (backed up first if it exists). `secret`: content never shown or logged. */
export interface FileAction extends Base {
  kind: 'file';
  path: string;
  content: string;
  mode: number;
  owner?: string;
  secret?: boolean;
}

/** Replace (or append) one marked block `# BEGIN <marker>` ... `# END <marker>` in a file. */
export interface BlockAction extends Base {
  kind: 'block';
  path: string;
  marker: string;
  content: string;
  /** Where a new block goes: `top` (pg_hba.conf: first match wins) or `bottom`. */
  position: 'top' | 'bottom';
}

/** Run a program. Secrets go through `input` or a passfile, never argv. */
export interface CommandAction extends Base {
  kind: 'command';
  argv: string[];
  user?: string;
  env?: Record<string, string>;
  /** Known output formats the engine turns into progress events. */
  progress?: 'pg_basebackup' | 'apt';
}

/** Move a path aside to `<path>.ha-install-<stamp>` (never delete): an existing data directory. */
export interface MoveAsideAction extends Base {
  kind: 'move-aside';
  path: string;
}

/** Anything else the engine cannot express as data: waits, verifications, SQL. `detail` is what a dry run prints. */
export interface StepAction extends Base {
  kind: 'step';
  detail: string[];
  run: (ctx: ApplyContext) => Promise<void>;
}

export type Action = PackagesAction | FileAction | BlockAction | CommandAction | MoveAsideAction | StepAction;

export interface Plan {
  title: string;
  actions: Action[];
  /** What the plan deliberately does not do, e.g. "postgresql-15 is already installed". */
  notes: string[];
}

export type ProgressEvent =
  | { type: 'start'; id: string; title: string; index: number; total: number }
  | { type: 'progress'; id: string; percent?: number; detail?: string }
  | { type: 'done'; id: string; title: string; note?: string }
  | { type: 'skipped'; id: string; title: string; reason: string }
  | { type: 'failed'; id: string; title: string; message: string };

export interface ApplyContext {
  log: Logger;
  /** Report progress of the running action. */
  progress: (percent: number | undefined, detail?: string) => void;
  /** Back up a file before changing it (no-op if it does not exist); returns the backup path. */
  backup: (path: string) => Promise<string | undefined>;
  /** Secrets the step may need (the backup password), by name. Never logged. */
  secrets: Record<string, string>;
}
