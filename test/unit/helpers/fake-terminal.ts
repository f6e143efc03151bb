import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { stripVTControlCharacters } from 'node:util';
import { createInkFrontEnd, type InkOptions } from '../../../src/prompts/ink.js';

/**
 * Fake TTY streams for ink, after ink-testing-library (whose render() only takes a tree, while
 * createInkFrontEnd renders itself): ink 6 reads keys through `readable` + `read()`.
 */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read(): string | null {
    const { data } = this;
    this.data = null;
    return data;
  }
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export class FakeStdout extends EventEmitter {
  readonly frames: string[] = [];
  columns = 100;
  rows = 40;
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  /** The last frame without colours. */
  lastFrame = (): string => stripVTControlCharacters(this.frames.at(-1) ?? '');
  /** Everything written, without colours. */
  allFrames = (): string => stripVTControlCharacters(this.frames.join('\n'));
}

export function fakeTerminal() {
  const stdin = new FakeStdin();
  const stdout = new FakeStdout();
  return {
    stdin,
    stdout,
    streams: { stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream },
  };
}

export const keys = { down: '\u001B[B', up: '\u001B[A', enter: '\r', ctrlC: '\u0003', backspace: '\u007F' };

/** Types one chunk and gives ink time to parse it and render. */
export async function type(stdin: FakeStdin, ...chunks: string[]): Promise<void> {
  for (const chunk of chunks) {
    stdin.write(chunk);
    await delay(30);
  }
}

/** Waits until `predicate` holds for the frame (or fails after `timeout` ms with the frame shown). */
export async function waitForFrame(stdout: FakeStdout, predicate: (frame: string) => boolean, timeout = 2000): Promise<string> {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (predicate(stdout.lastFrame())) return stdout.lastFrame();
    await delay(10);
  }
  throw new Error(`frame never matched:\n${stdout.lastFrame()}`);
}

/** Marks a prompt's promise as handled, so a test that fails before awaiting it reports only its own failure. */
export function pending<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/** Like `pending`, and says whether the promise has settled yet: for a prompt that must not answer yet. */
export function tracked<T>(promise: Promise<T>): Promise<T> & { readonly settled: boolean } {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return Object.defineProperty(pending(promise), 'settled', { get: () => settled }) as Promise<T> & { readonly settled: boolean };
}

/** The ink front end on a fake terminal. */
export function inkTerminal(options: Pick<InkOptions, 'logPath' | 'onInterrupt'> = {}) {
  const terminal = fakeTerminal();
  return { ...terminal, ui: createInkFrontEnd({ ...terminal.streams, debug: true, onInterrupt: () => {}, ...options }) };
}

/** Runs `body` on an ink front end and closes it however the body ends: one left open keeps the test run alive. */
export async function withInk(body: (terminal: ReturnType<typeof inkTerminal>) => Promise<void>, options: Parameters<typeof inkTerminal>[0] = {}): Promise<void> {
  const terminal = inkTerminal(options);
  try {
    await body(terminal);
  } finally {
    await terminal.ui.close();
  }
}
