import type { Logger } from '../system/log.js';
import type { InventoryItem } from './inventory.js';

/**
 * A plan is data: installers return actions, the engine applies them. Each action has a
 * stable `id` (the journal records finished ids so a re-run after a crash resumes) and a
 * `title` shown in progress and in the dry run. What an action does is in its fields, so the
 * dry run prints it exactly (the SQL text, the service command, the argv) and the journal
 * fingerprints it; a `step` closure is only for what cannot be said as data.
 */
interface Base {
  id: string;
  title: string;
  /** What this action creates, recorded in the node's inventory once it is done (teardown reads it). */
  creates?: InventoryItem[];
  /** Inventory keys (inventory.ts itemKey) this action removes: forgotten once it is done. */
  removes?: string[];
}

/** Write a whole file (backed up first if it exists). `secret`: content never shown or logged. */
export interface FileAction extends Base {
  kind: 'file';
  path: string;
  content: string;
  mode: number;
  owner?: string;
  secret?: boolean;
  /**
   * A program that must accept the new content before it replaces the file (`haproxy -c -f`):
   * argv with `{file}` standing for the new content's temporary path. A refusal leaves the
   * file as it was.
   */
  validate?: string[];
}

/**
 * A service's settings as a JSON file anyone may read (no secret goes in one), recorded in the
 * inventory so teardown removes it: the agent's, the monitor's, the start guard's.
 * `recorded: false` where there is no inventory to keep (the balancer's witness).
 */
export function settingsFileAction(id: string, title: string, path: string, value: unknown, { recorded = true } = {}): FileAction {
  return { kind: 'file', id, title, path, content: JSON.stringify(value, null, 2) + '\n', mode: 0o644, ...(recorded ? { creates: [{ kind: 'file' as const, path }] } : {}) };
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

/** What an installer reads in a command's output: progress for the bar, never a decision. */
export type OutputParser = (chunk: string) => { percent?: number; detail?: string } | undefined;

/** Run a program. Secrets go through a passfile, never argv. */
export interface CommandAction extends Base {
  kind: 'command';
  argv: string[];
  user?: string;
  env?: Record<string, string>;
  /** The installer that owns the command knows its output format (apt, pg_basebackup, pg_rewind). */
  progress?: OutputParser;
  timeoutMs?: number;
}

/**
 * Remove what ha-install wrote: a whole file, or (with `marker`) one marked block of a file that
 * is not ours. Backed up first; nothing there is "nothing to remove", so a re-run changes nothing.
 */
export interface RemoveAction extends Base {
  kind: 'remove';
  path: string;
  marker?: string;
}

/** Move a path aside to `<path>.ha-install-<stamp>` (never delete): an existing data directory. */
export interface MoveAsideAction extends Base {
  kind: 'move-aside';
  path: string;
}

/**
 * Where SQL runs: the local cluster over its Unix socket as the postgres OS user, or the peer
 * over TCP as the replication role (its password comes from the run's secrets, never the plan).
 */
export type SqlTarget =
  | { on: 'local'; version: number; cluster: string }
  | { on: 'peer'; host: string; port: number; user: string; database: string };

/** SQL, exactly as the dry run prints it. */
export interface SqlAction extends Base {
  kind: 'sql';
  target: SqlTarget;
  sql: string;
  /** Printed, logged and fingerprinted instead of `sql` when the SQL carries a secret (a SCRAM verifier). */
  shown?: string;
  /** The done note from the rows the last statement returned, e.g. "created" or "already there". */
  note?: (rows: string[][]) => string | undefined;
  /**
   * Run each statement (separated by `;` and a line break) on its own: several in one query
   * are one implicit transaction over the network, where ALTER SYSTEM may not run.
   */
  separately?: boolean;
}

/**
 * One of ha-install's own long-running services (installers/services/): a systemd unit where
 * PID 1 is systemd, else a process under `ha-install supervise NAME`. `ready`: the TCP port
 * that answers once it serves; `reloadSignal`: what a reload sends its main process.
 */
export interface OwnServiceRef {
  kind: 'ha-install';
  name: string;
  init: 'systemd' | 'none';
  ready?: { host: string; port: number };
  reloadSignal?: 'SIGHUP' | 'SIGUSR2';
}

/** A service the engine can start, stop, restart, reload or promote; `command` is what a dry run shows. */
export type ServiceRef =
  | { kind: 'postgresql'; version: number; cluster: string; init: 'systemd' | 'none' }
  | OwnServiceRef
  /** A unit an OS package owns and ha-install only configures (Debian's haproxy.service). */
  | { kind: 'systemd-unit'; unit: string; ready?: { host: string; port: number } };
/** `remove`: stopped, disabled and its files backed up and deleted (ha-install's own services only). */
export type ServiceOp = 'start' | 'stop' | 'restart' | 'reload' | 'promote' | 'remove';

export interface ServiceAction extends Base {
  kind: 'service';
  service: ServiceRef;
  op: ServiceOp;
  command: string[];
  /**
   * For `start`: a service that already runs gets the `then` of the first entry one of whose
   * actions changed something in this run (its unit: restart; its configuration: maybe only a
   * reload), and is left alone otherwise, so a re-run with nothing changed restarts nothing.
   * An action done by an earlier, interrupted run counts as changed.
   */
  ifChanged?: Array<{ ids: string[]; then: 'restart' | 'reload' }>;
}

/** Poll a SQL condition (one row, first column true) until it holds; fail with `failure` after the timeout. */
export interface WaitAction extends Base {
  kind: 'wait';
  target: SqlTarget;
  sql: string;
  timeoutSeconds: number;
  intervalMs: number;
  failure: string;
  /** `go on`: a timeout is noted and the plan continues (the wait was a courtesy, not a condition). */
  onTimeout?: 'fail' | 'go on';
}

/**
 * `first`, and if any of it fails (or an earlier run was interrupted inside it), `otherwise`:
 * a rewind that falls back to a full clone. `why` says in the dry run when the fallback runs.
 */
export interface EitherAction extends Base {
  kind: 'either';
  first: Action[];
  otherwise: Action[];
  why: string;
}

/** Anything else the engine cannot express as data: checks against the peer, marker rows. `detail` is what a dry run prints. */
export interface StepAction extends Base {
  kind: 'step';
  detail: string[];
  run: (ctx: ApplyContext) => Promise<string | void>;
}

export type Action = FileAction | BlockAction | RemoveAction | CommandAction | MoveAsideAction | SqlAction | ServiceAction | WaitAction | EitherAction | StepAction;

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
  /** Whether any of these actions changed something in this run (or may have, in an interrupted earlier one). */
  changed: (ids: string[]) => boolean;
}

/** How the engine runs what installers describe as data: the PostgreSQL installer provides them. */
export interface ActionHandlers {
  sql: (target: SqlTarget, sql: string, ctx: ApplyContext, title: string) => Promise<string[][]>;
  service: (action: ServiceAction, ctx: ApplyContext) => Promise<string | undefined>;
}
