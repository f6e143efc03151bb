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
  finished?: string;
}

/** A fingerprint of what a plan will do: same answers and machine state give the same plan. */
export function planFingerprint(plan: Plan): string {
  const shape = plan.actions.map((a: Action) => ({ ...a, run: undefined, content: 'content' in a ? hash(a.content) : undefined }));
  return hash(JSON.stringify({ title: plan.title, shape }));
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

  constructor(readonly path: string, plan: Plan) {
    const fingerprint = planFingerprint(plan);
    const previous = Journal.read(path);
    this.resumed = previous !== undefined && previous.plan === fingerprint && previous.finished === undefined && previous.done.length > 0;
    this.state = this.resumed ? previous! : { plan: fingerprint, title: plan.title, started: new Date().toISOString(), done: [] };
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
