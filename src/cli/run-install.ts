import { join } from 'node:path';
import { loadAnswersFile } from '../answers/load.js';
import { validateAnswers } from '../answers/validate.js';
import type { Answers } from '../answers/types.js';
import { runInstall } from '../flows/install.js';
import { runStamp, type RunOptions } from '../flows/context.js';
import { BugError, InputError, type Problem } from '../system/errors.js';
import { gatherFacts, loadFacts } from '../system/facts.js';
import { Logger } from '../system/log.js';
import { printable } from '../system/text-checks.js';
import { pickFrontEnd } from './front-end.js';
import { setActiveFrontEnd } from './interrupt.js';
import { checkRunPaths } from './run-paths.js';

export interface InstallFlags extends RunOptions {
  plain: boolean;
  json: boolean;
  /** Raw flag values by answers property (`mode: '2'`); validate.ts types them. */
  answerFlags: Partial<Record<keyof Answers, unknown>>;
}

const isMissing = (p: Problem) => p.message.startsWith('is required');

/** Opens the run's log; checkRunPaths said whether this user may write one (a dry run as not root goes on without). */
function openLog(logDir: string, stamp: string, noLog: string | undefined): Logger {
  return new Logger(noLog === undefined ? join(logDir, `ha-install-${stamp}.log`) : undefined);
}

/**
 * An env: secret has been read: its variable leaves this process's environment, so no child
 * (ping, systeminformation's commands, psql) can inherit it, whatever its name.
 */
function forgetSecretVariables(answers: Partial<Answers>): void {
  const ref = answers.backupPassword?.ref;
  if (answers.backupPassword?.source === 'env' && ref?.startsWith('env:')) delete process.env[ref.slice(4)];
}

/**
 * The install command: answers from flags and file are validated all at once, then the
 * wizard runs on the front end that fits (ink, plain, unattended).
 */
export async function installCommand(flags: InstallFlags): Promise<void> {
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const isRoot = process.getuid?.() === 0;
  if (!isRoot && !flags.dryRun && !flags.factsFile) {
    throw new InputError('ha-install changes system files and must run as root.', [{ message: 'not running as root', fix: 'run with sudo: sudo npx ha-install (or try --dry-run, which needs no root)' }]);
  }
  const { noLog } = checkRunPaths(flags);
  let file: Partial<Answers> = {};
  let problems: Problem[];
  const answerFlags = flags.answerFlags as Partial<Answers>;
  const typedFlags = validateAnswers({}, { flags: answerFlags }).answers;
  if (flags.answersFile) {
    const loaded = loadAnswersFile(flags.answersFile);
    if (loaded.problems.length > 0) throw new InputError(`The answers file ${printable(flags.answersFile)} cannot be used: nothing was changed.`, loaded.problems);
    const validated = validateAnswers(loaded.raw, { filePath: flags.answersFile, flags: answerFlags });
    problems = validated.problems;
    file = validated.answers;
  } else {
    const validated = validateAnswers({}, { flags: answerFlags });
    problems = validated.problems;
    file = validated.answers; // typed flag values; flags still win in resolve
  }
  forgetSecretVariables(file);
  const complete = problems.every((p) => !isMissing(p)) && typedFlags.mode !== undefined;
  // Runs that cannot ask (answers file, --json, no terminal) must have every answer up front.
  const canAsk = flags.answersFile === undefined && !flags.json && tty;
  const wrong = problems.filter((p) => !canAsk || !isMissing(p));
  if (wrong.length > 0) {
    const onlyMissing = flags.answersFile === undefined && wrong.every(isMissing);
    throw new InputError(
      flags.answersFile
        ? `The answers file ${printable(flags.answersFile)} has ${wrong.length} problem${wrong.length > 1 ? 's' : ''}: nothing was changed.`
        : onlyMissing
          ? tty
            ? 'Answers are missing, and a --json run never asks.'
            : 'No terminal to ask the questions on, and no answers file.'
          : 'Invalid command-line values: nothing was changed.',
      wrong,
      onlyMissing ? ['Run it in a terminal, or unattended: ha-install --answers answers.yaml (write one with `ha-install answers init answers.yaml`).'] : [],
    );
  }
  const stamp = runStamp();
  const log = openLog(flags.logDir, stamp, noLog);
  log.redact(file.backupPassword?.value); // from the first line on, and kept out of children's environments
  const ui = await pickFrontEnd({ answersFile: flags.answersFile, plain: flags.plain, json: flags.json, logPath: log.path, tty, complete });
  if (!ui) throw new BugError('no front end for a run whose answers were all checked');
  setActiveFrontEnd(ui);
  try {
    const facts = flags.factsFile ? loadFacts(flags.factsFile) : await gatherFacts();
    log.info(`facts: ${JSON.stringify({ ...facts, addresses: facts.addresses.map((a) => a.address) })}`);
    const interactive = ui.interactive && flags.answersFile === undefined;
    await runInstall({
      ui,
      sources: { flags: typedFlags, file, prompter: interactive ? ui : undefined },
      answers: {},
      facts,
      log,
      options: flags,
      stamp,
      notes: noLog ? [`no log was written: ${noLog}`] : [],
    });
  } catch (error) {
    log.write('error', error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    setActiveFrontEnd(undefined);
    await ui.close();
  }
}
