import type { FrontEnd } from '../prompts/prompter.js';
import { ExitCode } from '../system/errors.js';

let active: FrontEnd | undefined;

/** The front end to close (restoring the terminal) if the run is interrupted. */
export function setActiveFrontEnd(frontEnd: FrontEnd | undefined): void {
  active = frontEnd;
}

/**
 * Ctrl-C or SIGTERM: restore the terminal and exit 130. The journal already holds every
 * finished action, so a re-run resumes; files are written atomically, never half.
 */
export function installInterruptHandlers(): void {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // `on`, not `once`: execa's exit hook (signal-exit) also listens, and when it finds itself
    // the last listener it re-raises the signal, killing the process before close() and exit(130).
    process.on(signal, () => {
      if (interrupted) return process.exit(ExitCode.cancelled); // a second Ctrl-C: leave now
      interrupted = true;
      const frontEnd = active;
      active = undefined;
      const finish = () => {
        process.stderr.write('\nCancelled. Nothing half-written: a re-run resumes where this one stopped.\n');
        process.exit(ExitCode.cancelled);
      };
      if (frontEnd) void frontEnd.close().finally(finish);
      else finish();
    });
  }
}
