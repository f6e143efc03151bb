import type { Plan, ProgressEvent } from '../engine/actions.js';

/**
 * How a flow talks to the person (or to the log): one interface, three front ends.
 * src/prompts/ink.tsx (default on a TTY), src/prompts/plain.ts (inquirer, `--plain`) and
 * src/prompts/unattended.ts (`--answers`, `--json`: never prompts, prints lines).
 */
export interface Choice<T extends string = string> {
  value: T;
  label: string;
  hint?: string;
}

/**
 * Menus of up to nine entries are numbered 1-9 in both front ends, as Motadata's installer
 * numbered its install modes: a digit key moves to that entry and Enter confirms it, like
 * inquirer's select in --plain. A digit alone does not confirm: a stray key never chooses.
 */
export const numberedMenuLimit = 9;

/** `3  HA slave` in a numbered menu, the bare label otherwise. */
export function menuLabel(choices: readonly Choice[], index: number): string {
  const label = choices[index]?.label ?? '';
  return choices.length <= numberedMenuLimit ? `${index + 1}  ${label}` : label;
}

/** Returns an error message (naming what is wrong and how to fix it) or undefined when valid. */
export type Validate = (value: string) => string | undefined;

export interface Prompter {
  readonly interactive: boolean;
  select<T extends string>(q: { field: string; message: string; choices: Choice<T>[]; initial?: T }): Promise<T>;
  /** Free text, validated as the person types; Enter is refused while `validate` returns a message. */
  text(q: { field: string; message: string; initial?: string; placeholder?: string; validate?: Validate }): Promise<string>;
  /** Masked input; with `confirmMessage`, asked twice and both must match. */
  secret(q: { field: string; message: string; confirmMessage?: string; validate?: Validate }): Promise<string>;
  confirm(q: { field: string; message: string; initial?: boolean }): Promise<boolean>;
}

export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface StepInfo {
  id: string;
  title: string;
  state: StepState;
  note?: string;
}

export type Verdict = 'ok' | 'warn' | 'fail' | 'info';

export interface CheckRow {
  name: string;
  /** The answers key the row is about, when an answer can fix it (e.g. `postgresql.backup-password`). */
  field?: string;
  measured: string;
  required: string;
  verdict: Verdict;
  /** What to do about a warn or fail. */
  fix?: string;
}

export interface Reporter {
  /** The wizard's step list, in order; the front end shows done/running/failed/pending. */
  setSteps(steps: StepInfo[]): void;
  stepState(id: string, state: StepState, note?: string): void;
  /** A table of checks: measured vs required, one verdict per row. */
  checks(title: string, rows: CheckRow[]): void;
  showPlan(plan: Plan, diffs: string): void;
  progress(event: ProgressEvent): void;
  message(level: 'info' | 'success' | 'warn' | 'error', text: string): void;
  summary(title: string, lines: string[]): void;
  /** Restores the terminal. Must be called once, also on errors. */
  close(): Promise<void>;
}

export interface FrontEnd extends Prompter, Reporter {
  readonly name: 'ink' | 'plain' | 'unattended';
}
