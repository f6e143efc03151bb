import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Action, Plan } from './actions.js';
import { ensureDirectory } from '../system/user-paths.js';

interface JournalFile {
  plan: string;
  title: string;
  started: string;
  done: string[];
  /** Actions that began (an id here and not in `done` was interrupted). */
  began?: string[];
  finished?: string;
}

/** What an action does, as data: file contents hashed, a secret SQL text replaced by what is shown. */
function shapeOf(action: Action): unknown {
  switch (action.kind) {
    case 'file':
    case 'block':
      return { ...action, content: hash(action.content) };
    case 'sql':
      return { ...action, sql: action.shown ?? action.sql, shown: undefined };
    case 'either':
      return { ...action, first: action.first.map(shapeOf), otherwise: action.otherwise.map(shapeOf) };
    default:
      return action; // functions (a step's run, an output parser) are dropped by JSON.stringify
  }
}

/** A fingerprint of what a plan will do: same answers and machine state give the same plan. */
export function planFingerprint(plan: Plan): string {
  return hash(JSON.stringify({ title: plan.title, shape: plan.actions.map(shapeOf) }));
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Records each finished action. A run interrupted (crash, Ctrl-C, kill -9) leaves an
 * unfinished journal; the next run of the *same* plan skips what was done and resumes. A
 * finished journal, or a different plan, starts afresh (all actions are idempotent anyway).
 */
export class Journal {
  private state: JournalFile;
  readonly resumed: boolean;
  /** What an earlier, interrupted run of this plan had begun. */
  private readonly earlier: Set<string>;

  constructor(readonly path: string, plan: Plan) {
    const fingerprint = planFingerprint(plan);
    const previous = Journal.read(path);
    this.resumed = previous !== undefined && previous.plan === fingerprint && previous.finished === undefined && (previous.done.length > 0 || (previous.began ?? []).length > 0);
    this.state = this.resumed ? previous! : { plan: fingerprint, title: plan.title, started: new Date().toISOString(), done: [] };
    this.earlier = new Set(this.resumed ? (previous!.began ?? []) : []);
  }

  static read(path: string): JournalFile | undefined {
    if (!existsSync(path)) return undefined;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as JournalFile;
    } catch {
      return undefined; // a torn write from a kill -9: start the plan afresh, actions are idempotent
    }
  }

  isDone(id: string): boolean {
    return this.state.done.includes(id);
  }

  /** An action begins: a run killed now leaves it begun and not done. */
  markStarted(id: string): void {
    this.state.began ??= [];
    if (!this.state.began.includes(id)) this.state.began.push(id);
    this.save();
  }

  /** Whether an earlier, interrupted run of this plan had begun the action. */
  startedEarlier(id: string): boolean {
    return this.earlier.has(id);
  }

  markDone(id: string): void {
    if (!this.isDone(id)) this.state.done.push(id);
    this.save();
  }

  finish(): void {
    this.state.finished = new Date().toISOString();
    this.save();
  }

  private save(): void {
    ensureDirectory(dirname(this.path)); // bounded: recursive mkdir loops for ever under /proc
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.state, null, 2), { mode: 0o600 });
    renameSync(temporary, this.path); // atomic: a kill -9 never leaves half a journal
  }
}
