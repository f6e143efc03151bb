import { createInkFrontEnd } from '../prompts/ink.js';
import { createPlainFrontEnd } from '../prompts/plain.js';
import { createUnattendedFrontEnd } from '../prompts/unattended.js';
import type { FrontEnd } from '../prompts/prompter.js';

export interface FrontEndChoice {
  answersFile?: string;
  plain: boolean;
  json: boolean;
  logPath?: string;
  /** True when stdin and stdout are terminals. */
  tty: boolean;
  /** All required answers came from flags: no prompt will be needed. */
  complete: boolean;
}

/**
 * One flow, three front ends: ink on a terminal, inquirer line by line with --plain, and no
 * prompts at all with --answers (or --json, or when the flags already answer everything).
 * Returns undefined when a person would have to be asked but there is no terminal.
 */
export function pickFrontEnd(choice: FrontEndChoice): FrontEnd | undefined {
  if (choice.answersFile !== undefined || choice.json || (choice.complete && !choice.tty)) {
    return createUnattendedFrontEnd({ json: choice.json, stream: process.stderr });
  }
  if (!choice.tty) return undefined;
  if (choice.plain) return createPlainFrontEnd({ logPath: choice.logPath });
  return createInkFrontEnd({ logPath: choice.logPath });
}
