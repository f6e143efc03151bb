import { actionDetail, actionLine } from '../engine/plan-printer.js';
import { render } from 'ink';
import { BugError, CancelledError } from '../system/errors.js';
import { App } from '../ui/app.js';
import { createWizardStore, type PendingPrompt } from '../ui/store.js';
import { menuLabel, type FrontEnd } from './prompter.js';
import { actionEndLine } from './report-lines.js';
import { defaultTitle } from './titles.js';

export { defaultTitle } from './titles.js';

export interface InkOptions {
  logPath?: string;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  title?: string;
  /**
   * Ctrl-C while no question is pending (e.g. during apply). Raw mode keeps the terminal from
   * sending SIGINT itself, so by default we raise it, and the top level handles it as in --plain.
   */
  onInterrupt?: () => void;
  /** Write every frame in full (ink's debug mode): for frame tests, and readable in CI. */
  debug?: boolean;
}

const maskedAnswer = '********';

/**
 * The default front end on a TTY: one ink render for the whole run. Every method only changes
 * the store; a question waits in `prompt` until its component submits or Ctrl-C cancels it.
 */
export function createInkFrontEnd(options: InkOptions = {}): FrontEnd {
  const store = createWizardStore({ title: options.title ?? defaultTitle, logPath: options.logPath });
  const onInterrupt = options.onInterrupt ?? (() => process.kill(process.pid, 'SIGINT'));
  // Explicit fallbacks: ink spreads our options over its defaults, so `stdout: undefined` would win.
  const instance = render(<App store={store} onInterrupt={onInterrupt} />, {
    stdin: options.stdin ?? process.stdin,
    stdout: options.stdout ?? process.stdout,
    exitOnCtrlC: false,
    debug: options.debug ?? false,
  });
  const positions = new Map<string, { index: number; total: number }>();
  let nextPromptId = 0;
  let closed = false;

  const ask = <T,>(make: (id: number, submit: (value: T) => void, cancel: () => void) => PendingPrompt): Promise<T> => {
    if (closed) return Promise.reject(new BugError('A prompt was asked after the front end was closed.'));
    if (store.getState().prompt) return Promise.reject(new BugError('A prompt was asked while another one was pending.'));
    return new Promise<T>((resolve, reject) => {
      const id = nextPromptId++;
      const settle = () => store.update((state) => (state.prompt?.id === id ? { prompt: undefined } : {}));
      const prompt = make(
        id,
        (value) => {
          settle();
          resolve(value);
        },
        () => {
          settle();
          reject(new CancelledError());
        },
      );
      store.update(() => ({ prompt }));
    });
  };
  const answered = (message: string, answer: string) => store.append({ kind: 'answer', message, answer });

  return {
    name: 'ink',
    interactive: true,
    async select(q) {
      const value = await ask<string>((id, submit, cancel) => ({ kind: 'select', id, message: q.message, choices: q.choices, initial: q.initial, submit, cancel }));
      const index = q.choices.findIndex((choice) => choice.value === value);
      answered(q.message, index === -1 ? value : menuLabel(q.choices, index));
      return value as (typeof q.choices)[number]['value'];
    },
    async text(q) {
      const { message, initial, placeholder, validate } = q;
      const value = await ask<string>((id, submit, cancel) => ({ kind: 'text', id, message, initial, placeholder, validate, submit, cancel }));
      answered(q.message, value === '' ? '(empty)' : value);
      return value;
    },
    async secret(q) {
      let notice: string | undefined;
      for (;;) {
        const first = await ask<string>((id, submit, cancel) => ({ kind: 'secret', id, message: q.message, validate: q.validate, notice, submit, cancel }));
        const second = q.confirmMessage
          ? await ask<string>((id, submit, cancel) => ({ kind: 'secret', id, message: q.confirmMessage!, submit, cancel }))
          : first;
        if (first === second) {
          answered(q.message, maskedAnswer);
          return first;
        }
        notice = 'The two entries differ; type it again.';
      }
    },
    async confirm(q) {
      const value = await ask<boolean>((id, submit, cancel) => ({ kind: 'confirm', id, message: q.message, initial: q.initial, submit, cancel }));
      answered(q.message, value ? 'yes' : 'no');
      return value;
    },

    setSteps: (steps) => store.update(() => ({ steps: steps.map((step) => ({ ...step })) })),
    stepState(id, state, note) {
      const { steps } = store.getState();
      const index = steps.findIndex((step) => step.id === id);
      if (index === -1) return;
      store.update(() => ({ steps: steps.map((step) => (step.id === id ? { ...step, state, note } : step)) }));
      if (state === 'running') store.append({ kind: 'step', position: `Step ${index + 1}/${steps.length}`, title: steps[index]!.title });
    },
    checks: (title, rows) => store.append({ kind: 'checks', title, rows }),
    showPlan: (plan, diffs) =>
      store.append({ kind: 'plan', title: plan.title, actions: plan.actions.map((action) => [actionLine(action), ...actionDetail(action).map((line) => `      ${line}`)].join('\n')), notes: plan.notes, diffs }),
    progress(event) {
      if (event.type === 'start') {
        positions.set(event.id, { index: event.index, total: event.total });
        store.update(() => ({ action: { id: event.id, title: event.title, index: event.index, total: event.total } }));
      } else if (event.type === 'progress') {
        store.update(({ action }) =>
          action?.id === event.id ? { action: { ...action, percent: event.percent ?? action.percent, detail: event.detail ?? action.detail } } : {},
        );
      } else {
        store.append({ kind: 'action', state: event.type, line: actionEndLine(event, positions.get(event.id)) });
        store.update(({ action }) => (action?.id === event.id ? { action: undefined } : {}));
      }
    },
    message: (level, text) => store.append({ kind: 'message', level, text }),
    summary: (title, lines) => store.append({ kind: 'summary', title, lines }),

    async close() {
      if (closed) return;
      closed = true;
      store.getState().prompt?.cancel();
      // React 19 commits store updates in a microtask: let the last lines (an error, the summary) render first.
      await new Promise((resolve) => setImmediate(resolve));
      // waitUntilExit before unmount: a promise asked for after the unmount never settles in ink 6.
      const exited = instance.waitUntilExit();
      instance.unmount();
      await exited;
    },
  };
}
