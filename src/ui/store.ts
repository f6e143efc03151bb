import type { CheckRow, Choice, StepInfo, Validate } from '../prompts/prompter.js';

/**
 * Everything the wizard shows, as data. The ink front end changes it; components only read it
 * (through `useSyncExternalStore`) and call back into a pending prompt's `submit` or `cancel`.
 */
export interface WizardState {
  title: string;
  logPath?: string;
  steps: StepInfo[];
  /** What is finished stays on screen, above the live frame, like a transcript. */
  transcript: TranscriptEntry[];
  prompt?: PendingPrompt;
  action?: ActionView;
}

export type TranscriptEntry = { key: number } & (
  | { kind: 'step'; position: string; title: string }
  | { kind: 'answer'; message: string; answer: string }
  | { kind: 'message'; level: 'info' | 'success' | 'warn' | 'error'; text: string }
  | { kind: 'checks'; title: string; rows: CheckRow[] }
  | { kind: 'plan'; title: string; actions: string[]; notes: string[]; diffs: string }
  | { kind: 'action'; state: 'done' | 'skipped' | 'failed'; line: string }
  | { kind: 'summary'; title: string; lines: string[] }
);

/** Distributive Omit, so each variant of the union keeps its own fields. */
export type NewEntry = TranscriptEntry extends infer Entry ? (Entry extends TranscriptEntry ? Omit<Entry, 'key'> : never) : never;

/** The running plan action, shown as a progress bar. */
export interface ActionView {
  id: string;
  title: string;
  index: number;
  total: number;
  percent?: number;
  detail?: string;
}

interface PromptBase {
  /** Changes for every question, so an input remounts empty. */
  id: number;
  message: string;
  /** Shown in red before anything is typed, e.g. "the two entries differ". */
  notice?: string;
  cancel: () => void;
}

export type PendingPrompt =
  | (PromptBase & { kind: 'select'; choices: Choice[]; initial?: string; submit: (value: string) => void })
  | (PromptBase & { kind: 'text'; initial?: string; placeholder?: string; validate?: Validate; submit: (value: string) => void })
  | (PromptBase & { kind: 'secret'; validate?: Validate; submit: (value: string) => void })
  | (PromptBase & { kind: 'confirm'; initial?: boolean; submit: (value: boolean) => void });

export interface WizardStore {
  getState: () => WizardState;
  subscribe: (listener: () => void) => () => void;
  update: (change: (state: WizardState) => Partial<WizardState>) => void;
  append: (entry: NewEntry) => void;
}

export function createWizardStore(initial: Omit<WizardState, 'steps' | 'transcript'>): WizardStore {
  let state: WizardState = { steps: [], transcript: [], ...initial };
  let nextKey = 0;
  const listeners = new Set<() => void>();
  // A new object on every change: useSyncExternalStore compares snapshots by identity.
  const update = (change: (current: WizardState) => Partial<WizardState>) => {
    state = { ...state, ...change(state) };
    for (const listener of listeners) listener();
  };
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update,
    append: (entry) => update((current) => ({ transcript: [...current.transcript, { ...entry, key: nextKey++ } as TranscriptEntry] })),
  };
}
