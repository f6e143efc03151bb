import type { Action, ActionHandlers, ApplyContext, EitherAction, Plan, ProgressEvent } from './actions.js';
import { applyAction } from './apply-action.js';
import type { BackupStore } from './backups.js';
import type { Inventory } from './inventory.js';
import type { Journal } from './journal.js';
import type { Logger } from '../system/log.js';
import { AbortError, ApplyError, InputError, formatProblem } from '../system/errors.js';

export interface RunnerOptions {
  log: Logger;
  backups: BackupStore;
  journal: Journal;
  onEvent: (event: ProgressEvent) => void;
  secrets: Record<string, string>;
  /** Suffix for paths moved aside, e.g. `20261122-043000`. */
  stamp: string;
  /** How SQL and service actions run (the PostgreSQL installer's); plans without them need none. */
  handlers?: ActionHandlers;
  /** Where what actions create (and remove) is recorded, for teardown. */
  inventory?: Inventory;
}

/** Outcomes that mean the action found everything in place. */
const UNCHANGED = new Set(['unchanged', 'already running', 'already stopped', 'already there', 'nothing there']);

/** Where an action sits in the plan, for the progress lines: `[3/7]`. */
interface Position {
  index: number;
  total: number;
}

/** The error the admin reads: which action failed, in words, with the log. */
function failure(action: Action, error: unknown, log: Logger): AbortError {
  const message = error instanceof Error ? error.message : String(error);
  // A refusal raised while applying is still a failure while changing the machine (exit 1):
  // earlier actions may have run, so "nothing changed" would lie.
  if (error instanceof InputError) {
    return new ApplyError(`${action.title} failed: ${error.message.replace(/:? ?nothing (was|is) changed\.?/i, '.')}`, {
      cause: error,
      nextSteps: [...error.problems.map(formatProblem), ...(log.path ? [`See the log: ${log.path}`] : [])],
    });
  }
  if (error instanceof AbortError) return error;
  return new ApplyError(`${action.title} failed: ${log.scrub(message)}`, { cause: error, nextSteps: log.path ? [`See the log: ${log.path}`] : [] });
}

async function runOne(action: Exclude<Action, { kind: 'either' }>, at: Position, options: RunnerOptions, changed: Set<string>): Promise<void> {
  const { log, journal, onEvent } = options;
  if (journal.isDone(action.id)) {
    changed.add(action.id); // what it changed then is not known now: count it as changed
    onEvent({ type: 'skipped', id: action.id, title: action.title, reason: 'done in an earlier, interrupted run' });
    return;
  }
  onEvent({ type: 'start', id: action.id, title: action.title, index: at.index, total: at.total });
  log.info(`action ${at.index}/${at.total}: ${action.title}`);
  journal.markStarted(action.id);
  const ctx: ApplyContext = {
    log,
    secrets: options.secrets,
    backup: async (path) => {
      const copy = await options.backups.backup(path);
      if (copy) log.info(`backed up ${path} to ${copy}`);
      return copy;
    },
    progress: (percent, detail) => onEvent({ type: 'progress', id: action.id, percent, detail }),
    changed: (ids) => ids.some((id) => changed.has(id)),
  };
  try {
    const note = await applyAction(action, ctx, { handlers: options.handlers, stamp: options.stamp });
    if (note === undefined || !UNCHANGED.has(note)) changed.add(action.id);
    journal.markDone(action.id);
    for (const item of action.creates ?? []) options.inventory?.record(item);
    for (const key of action.removes ?? []) options.inventory?.forget(key);
    log.info(`done: ${action.title}${note ? ` (${note})` : ''}`);
    onEvent({ type: 'done', id: action.id, title: action.title, note });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.write('error', `${action.title}: ${message}`);
    onEvent({ type: 'failed', id: action.id, title: action.title, message: log.scrub(message) });
    throw failure(action, error, log);
  }
}

/**
 * `first`, else `otherwise`. An earlier run that was interrupted inside `first` (started, not
 * finished) goes straight to `otherwise`: a half-done rewind is no base to rewind again from.
 */
async function runEither(action: EitherAction, at: Position, options: RunnerOptions, changed: Set<string>): Promise<void> {
  const { journal, log, onEvent } = options;
  const fallbackMark = `${action.id}:fallback`;
  const interrupted = action.first.find((a) => journal.startedEarlier(a.id) && !journal.isDone(a.id));
  let fallBack = journal.isDone(fallbackMark) || interrupted !== undefined;
  if (interrupted && !journal.isDone(fallbackMark)) log.warn(`"${interrupted.title}" was interrupted in an earlier run: ${action.why}`);
  if (!fallBack) {
    try {
      for (const inner of action.first) await runAll(inner, at, options, changed);
      journal.markDone(action.id);
      return;
    } catch (error) {
      log.warn(`${action.title}: ${error instanceof Error ? error.message : String(error)}; ${action.why}`);
      fallBack = true;
    }
  }
  journal.markDone(fallbackMark);
  onEvent({ type: 'progress', id: action.id, detail: action.why });
  for (const inner of action.otherwise) await runAll(inner, at, options, changed);
  journal.markDone(action.id);
}

function runAll(action: Action, at: Position, options: RunnerOptions, changed: Set<string>): Promise<void> {
  if (action.kind === 'either') return options.journal.isDone(action.id) ? Promise.resolve() : runEither(action, at, options, changed);
  return runOne(action, at, options, changed);
}

/**
 * Applies a plan in order. Before each action the engine announces it and notes in the journal
 * that it started; afterwards it records it as done, so a re-run after a crash skips what is
 * done (and knows what was interrupted). The first failure stops the run; the error names the
 * action and the log.
 */
export async function applyPlan(plan: Plan, options: RunnerOptions): Promise<void> {
  const total = plan.actions.length;
  if (options.journal.resumed) options.log.info(`resuming an interrupted run of "${plan.title}"`);
  const changed = new Set<string>(); // ids of the actions that changed something in this run
  for (const [index, action] of plan.actions.entries()) await runAll(action, { index: index + 1, total }, options, changed);
  options.journal.finish();
}
