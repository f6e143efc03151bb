import type { Answers } from '../answers/types.js';
import type { Flow, FlowContext, RunOptions } from '../flows/context.js';
import { startFlow } from '../flows/start.js';

/** What commander gives a flow command: the global flags and the command's own. */
export type FlowFlags = Record<string, unknown>;

/** The run-shaping flags every flow command shares. */
export function runOptions(flags: FlowFlags): RunOptions {
  return {
    dryRun: Boolean(flags.dryRun),
    yes: Boolean(flags.yes),
    answersFile: flags.answers as string | undefined,
    saveAnswers: flags.saveAnswers as string | undefined,
    stateDir: flags.stateDir as string,
    logDir: flags.logDir as string,
    factsFile: flags.facts as string | undefined,
    force: flags.force === true,
    reason: flags.reason as string | undefined,
    clone: flags.clone === true,
    keepData: flags.keepData === true,
    keepRole: flags.keepRole === true,
  };
}

/** Flags that answer a question, by answers property; validate.ts types them. */
export function answerFlags(flags: FlowFlags): Partial<Record<keyof Answers, unknown>> {
  const yes = (value: unknown) => (value === true ? true : undefined);
  return {
    mode: flags.mode,
    masterIp: flags.masterIp,
    slaveIp: flags.slaveIp,
    balancerIp: flags.balancerIp,
    ignoreRequirements: yes(flags.ignoreRequirements),
    skipPackages: yes(flags.skipPackages),
    pgPort: flags.pgPort,
    synchronous: yes(flags.synchronous),
  };
}

/** Runs one flow command from its parsed flags. */
export async function runFlowCommand<C extends FlowContext>(flow: Flow<C>, flags: FlowFlags): Promise<void> {
  await startFlow(flow, { options: runOptions(flags), plain: Boolean(flags.plain), json: Boolean(flags.json), answerFlags: answerFlags(flags) });
}
