import { printable } from './text-checks.js';
import { wrapLines } from './wrap.js';

/**
 * Two kinds of error, after Shopify's cli-kit: an AbortError is something the admin can fix
 * (bad input, a failed check, a command that failed), a BugError is our fault. Only the top
 * level (src/cli.ts) prints them, once.
 */

/** Exit codes, documented in `--help` and the README. */
export const ExitCode = {
  ok: 0,
  /** Something failed while changing the machine (apply phase), or `status` found the pair unhealthy. */
  failed: 1,
  /** Invalid input or refused by a check: nothing on the machine was changed. */
  invalid: 2,
  /** The admin cancelled (Ctrl-C, or answered no). */
  cancelled: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface Problem {
  /** The answers-file key or field the problem is about, e.g. `master-ip`. */
  field?: string;
  /** What is wrong. */
  message: string;
  /** How to fix it. */
  fix?: string;
}

export class AbortError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly problems: Problem[];
  readonly nextSteps: string[];

  constructor(
    message: string,
    options: { problems?: Problem[]; nextSteps?: string[]; exitCode?: ExitCodeValue; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AbortError';
    this.exitCode = options.exitCode ?? ExitCode.invalid;
    this.problems = options.problems ?? [];
    this.nextSteps = options.nextSteps ?? [];
  }
}

/** Input or a check refused the run before anything changed (exit 2). */
export class InputError extends AbortError {
  constructor(message: string, problems: Problem[] = [], nextSteps: string[] = []) {
    super(message, { problems, nextSteps, exitCode: ExitCode.invalid });
    this.name = 'InputError';
  }
}

/** The admin cancelled (exit 130). */
export class CancelledError extends AbortError {
  constructor(message = 'Cancelled: nothing more was changed.') {
    super(message, { exitCode: ExitCode.cancelled });
    this.name = 'CancelledError';
  }
}

/** A command or action failed while applying the plan (exit 1). */
export class ApplyError extends AbortError {
  constructor(message: string, options: { nextSteps?: string[]; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.failed });
    this.name = 'ApplyError';
  }
}

export class BugError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'BugError';
  }
}

/**
 * Formats a problem as one line: `master-ip: "192.168.0.300" is not an IP address. Fix: ...`.
 * Escapes control characters and cuts what is long: a problem may quote hostile input.
 */
export function formatProblem(problem: Problem): string {
  const text = (value: string) => printable(value, 400);
  const head = problem.field ? `${text(problem.field)}: ${text(problem.message)}` : text(problem.message);
  return problem.fix ? `${head}\n    fix: ${text(problem.fix)}` : head;
}

/**
 * The final error as the admin reads it. With `width` (stderr is a terminal) every line wraps
 * at spaces under its own text; without (a pipe, a log), each problem stays one line for grep.
 */
export function formatError(error: unknown, width?: number): string {
  if (error instanceof AbortError) {
    const lines = [`✖ ${error.message}`];
    for (const problem of error.problems) lines.push(`  - ${formatProblem(problem)}`);
    if (error.nextSteps.length > 0) {
      lines.push('', 'Next steps:');
      for (const step of error.nextSteps) lines.push(`  • ${step}`);
    }
    const text = lines.join('\n');
    return width === undefined ? text : wrapLines(text, width).join('\n');
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `✖ Internal error (a bug in ha-install, please report it):\n${message}`;
}

/** The same error as one JSON document, for commands whose output is JSON (`status --json`). */
export function errorDocument(error: unknown): { message: string; exitCode: ExitCodeValue; problems: Problem[]; nextSteps: string[] } {
  if (error instanceof AbortError) return { message: error.message, exitCode: error.exitCode, problems: error.problems, nextSteps: error.nextSteps };
  const message = error instanceof Error ? error.message : String(error);
  return { message: `Internal error (a bug in ha-install, please report it): ${message}`, exitCode: ExitCode.failed, problems: [], nextSteps: [] };
}
