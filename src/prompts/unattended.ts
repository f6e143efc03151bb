import { BugError } from '../system/errors.js';
import { createLineReporter, streamWriter, terminalColumns } from './line-reporter.js';
import type { FrontEnd } from './prompter.js';

export interface UnattendedOptions {
  /** One JSON object per line instead of text. */
  json?: boolean;
  /** Where lines go; default stdout for `--json` (the machine-readable result), stderr otherwise. */
  stream?: NodeJS.WritableStream;
  logPath?: string;
}

/**
 * `--answers FILE`: every answer is resolved (and all problems reported) before the flow starts,
 * so a prompt reaching this front end is our bug, never a question for a person who is not there.
 */
export function createUnattendedFrontEnd(options: UnattendedOptions = {}): FrontEnd {
  const stream = options.stream ?? (options.json ? process.stdout : process.stderr);
  const reporter = createLineReporter({ write: streamWriter(stream), json: options.json, logPath: options.logPath, columns: terminalColumns(stream) });
  const refuse = (field: string): never => {
    throw new BugError(`An unattended run asked for "${field}"; answers must be resolved from the answers file before the flow starts.`);
  };
  return {
    name: 'unattended',
    interactive: false,
    select: async (q) => refuse(q.field),
    text: async (q) => refuse(q.field),
    secret: async (q) => refuse(q.field),
    confirm: async (q) => refuse(q.field),
    ...reporter,
    close: async () => {},
  };
}
