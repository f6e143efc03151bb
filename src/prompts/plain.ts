import { Writable } from 'node:stream';
import { confirm, input, password, select } from '@inquirer/prompts';
import { CancelledError } from '../system/errors.js';
import { createLineReporter, streamWriter, terminalColumns } from './line-reporter.js';
import { menuLabel, type FrontEnd, type Validate } from './prompter.js';

export interface PlainOptions {
  logPath?: string;
  /** Prompts and report lines; default stderr, so stdout stays clean for a result. */
  output?: NodeJS.WritableStream;
  /** Width to wrap report lines at; default the output terminal's. */
  columns?: () => number | undefined;
  input?: NodeJS.ReadableStream;
}

interface PromptContext {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

export const mismatchMessage = 'The two entries differ; type it again.';

/**
 * `--plain`: the same wizard as inquirer prompts, one after another, for serial consoles,
 * screen readers and `script` logs. Report lines go to the same stream as the prompts.
 */
export function createPlainFrontEnd(options: PlainOptions = {}): FrontEnd {
  const output = options.output ?? process.stderr;
  const write = streamWriter(output);
  const reporter = createLineReporter({ write, logPath: options.logPath, columns: options.columns ?? terminalColumns(output) });
  const context = (): PromptContext => ({ input: options.input ?? process.stdin, output: keepOpen(output) });
  const ask = <T>(prompt: (ctx: PromptContext) => Promise<T>) => cancellable(() => prompt(context()));

  const secretOnce = (message: string, validate?: Validate) =>
    ask((ctx) => password({ message, mask: false, validate: toInquirer(validate) }, ctx));

  return {
    name: 'plain',
    interactive: true,
    select: (q) =>
      ask((ctx) =>
        select(
          {
            message: q.message,
            // The numbers shown are the ones inquirer's select moves to when typed.
            choices: q.choices.map((choice, index) => ({ value: choice.value, name: menuLabel(q.choices, index), description: choice.hint })),
            default: q.initial,
          },
          ctx,
        ),
      ),
    text: (q) => ask((ctx) => input({ message: q.message, default: q.initial, validate: toInquirer(q.validate) }, ctx)),
    async secret(q) {
      for (;;) {
        const first = await secretOnce(q.message, q.validate);
        if (!q.confirmMessage) return first;
        const second = await secretOnce(q.confirmMessage);
        if (first === second) return first;
        write(mismatchMessage);
      }
    },
    // Inquirer cannot refuse Enter as the ink confirm does without an initial answer: Enter means no.
    confirm: (q) => ask((ctx) => confirm({ message: q.message, default: q.initial ?? false }, ctx)),
    ...reporter,
    close: async () => {},
  };
}

/** Ctrl-C in inquirer rejects with ExitPromptError; the flow knows only CancelledError (exit 130). */
async function cancellable<T>(prompt: () => Promise<T>): Promise<T> {
  try {
    return await prompt();
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') throw new CancelledError();
    throw error;
  }
}

function toInquirer(validate: Validate | undefined) {
  return validate ? (value: string) => validate(value) ?? true : undefined;
}

/**
 * Inquirer pipes its output into the given stream and ends it when the prompt is done, which
 * would close the stream for every later prompt and line: hand it a forwarder to end instead.
 */
function keepOpen(target: NodeJS.WritableStream): NodeJS.WritableStream {
  const forwarder = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      target.write(chunk, () => callback());
    },
  });
  Object.defineProperty(forwarder, 'columns', { get: () => (target as { columns?: number }).columns });
  return forwarder;
}
