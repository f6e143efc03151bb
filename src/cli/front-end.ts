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
  /** The header of the full-screen wizard: which command runs. */
  title?: string;
}

/**
 * One flow, three front ends: ink on a terminal, inquirer line by line with --plain, and no
 * prompts at all with --answers (or --json, or when the flags already answer everything).
 * Returns undefined when a person would have to be asked but there is no terminal. Each front
 * end is loaded only when chosen: ink and React cost half a second an unattended run never needs.
 */
export async function pickFrontEnd(choice: FrontEndChoice): Promise<FrontEnd | undefined> {
  if (choice.answersFile !== undefined || choice.json || (choice.complete && !choice.tty)) {
    const { createUnattendedFrontEnd } = await import('../prompts/unattended.js');
    return createUnattendedFrontEnd({ json: choice.json, stream: choice.json ? process.stdout : process.stderr });
  }
  if (!choice.tty) return undefined;
  if (choice.plain) return (await import('../prompts/plain.js')).createPlainFrontEnd({ logPath: choice.logPath });
  return (await import('../prompts/ink.js')).createInkFrontEnd({ logPath: choice.logPath, title: choice.title });
}
