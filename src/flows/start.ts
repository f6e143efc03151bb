import { join } from 'node:path';
import { loadAnswersFile } from '../answers/load.js';
import { validateAnswers } from '../answers/validate.js';
import type { Answers } from '../answers/types.js';
import { pickFrontEnd } from '../cli/front-end.js';
import { checkRunPaths } from '../cli/run-paths.js';
import { invalidInputHeading } from '../cli/input-heading.js';
import { setActiveFrontEnd } from '../cli/interrupt.js';
import { BugError, InputError, type Problem } from '../system/errors.js';
import { gatherFacts, loadFacts, type MachineFacts } from '../system/facts.js';
import { asRoot, commandLine, detectInvocation, type Invocation } from '../system/invocation.js';
import { Logger } from '../system/log.js';
import { printable } from '../system/text-checks.js';
import { runStamp, type Flow, type FlowContext, type RunOptions } from './context.js';
import { runFlow } from './run-flow.js';

/** One run of a command as the CLI (or the demo) asks for it. */
export interface FlowRequest {
  options: RunOptions;
  plain: boolean;
  json: boolean;
  /** Raw flag values by answers property (`mode: '2'`); validate.ts types them. */
  answerFlags: Partial<Record<keyof Answers, unknown>>;
  invocation?: Invocation;
  /** The machine's facts, gathered already (the failover monitor's promote: gathering takes time it does not have). */
  facts?: MachineFacts;
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
 * Flags and the answers file are validated together, for this command, all at once: a run that
 * cannot ask (an answers file, --json, no terminal) must have every answer up front.
 */
function checkAnswers(command: Flow['command'], request: FlowRequest, tty: boolean) {
  const { options } = request;
  const flags = request.answerFlags as Partial<Answers>;
  const typedFlags = validateAnswers({}, { flags, command });
  let file: Partial<Answers> = typedFlags.answers;
  let problems = typedFlags.problems;
  if (options.answersFile) {
    const loaded = loadAnswersFile(options.answersFile);
    if (loaded.problems.length > 0) throw new InputError(`The answers file ${printable(options.answersFile)} cannot be used: nothing was changed.`, loaded.problems);
    const validated = validateAnswers(loaded.raw, { filePath: options.answersFile, flags, command });
    problems = validated.problems;
    file = validated.answers;
  }
  forgetSecretVariables(file);
  const complete = typedFlags.problems.every((p) => !isMissing(p));
  const canAsk = options.answersFile === undefined && !request.json && tty;
  const wrong = problems.filter((p) => !canAsk || !isMissing(p));
  if (wrong.length > 0) {
    const onlyMissing = options.answersFile === undefined && wrong.every(isMissing);
    throw new InputError(
      onlyMissing
        ? tty
          ? 'Answers are missing, and a --json run never asks.'
          : 'No terminal to ask the questions on, and no answers file.'
        : invalidInputHeading(wrong, options.answersFile),
      wrong,
      onlyMissing ? [`Run it in a terminal, or unattended: ${asRoot(['--answers', 'answers.yaml'])} (write one with \`${commandLine(detectInvocation(), ['answers', 'init', 'answers.yaml'])}\`).`] : [],
    );
  }
  return { flags: typedFlags.answers, file, complete };
}

/**
 * Runs one command's flow: root check, answers, the front end that fits (ink, plain,
 * unattended), the log, the machine's facts, then the steps. The same for every command.
 */
export async function startFlow<C extends FlowContext>(flow: Flow<C>, request: FlowRequest): Promise<void> {
  const { options } = request;
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const isRoot = process.getuid?.() === 0;
  if (flow.needsRoot && !isRoot && !options.dryRun && !options.factsFile) {
    throw new InputError('ha-install changes system files and must run as root.', [{ message: 'not running as root', fix: `run it as root: ${asRoot(process.argv.slice(2))} (or try --dry-run, which needs no root)` }]);
  }
  const { noLog } = checkRunPaths(options);
  const answers = checkAnswers(flow.command, request, tty);
  const stamp = runStamp();
  const log = openLog(options.logDir, stamp, noLog);
  log.redact(answers.file.backupPassword?.value); // from the first line on
  const ui = await pickFrontEnd({ answersFile: options.answersFile, plain: request.plain, json: request.json, logPath: log.path, tty, complete: answers.complete, title: flow.title });
  if (!ui) throw new BugError('no front end for a run whose answers were all checked');
  setActiveFrontEnd(ui);
  try {
    const facts = request.facts ?? (options.factsFile ? loadFacts(options.factsFile) : await gatherFacts());
    log.info(`facts: ${JSON.stringify({ ...facts, addresses: facts.addresses.map((a) => a.address) })}`);
    const interactive = ui.interactive && options.answersFile === undefined;
    const base: FlowContext = {
      command: flow.command,
      ui,
      sources: { flags: answers.flags, file: answers.file, prompter: interactive ? ui : undefined, command: flow.command },
      answers: {},
      facts,
      log,
      options,
      stamp,
      invocation: request.invocation ?? detectInvocation(),
      secrets: {},
      notes: noLog ? [`no log was written: ${noLog}`] : [],
      next: [],
    };
    await runFlow(flow, flow.extend ? flow.extend(base) : (base as C));
  } catch (error) {
    log.write('error', error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    setActiveFrontEnd(undefined);
    await ui.close();
  }
}
