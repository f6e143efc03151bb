import { resolveAnswer, type AnswerSources } from '../../answers/resolve.js';
import type { AnswerKey, Answers } from '../../answers/types.js';

/**
 * Resolves answers the wizard does not ask about (limits, ports, names): flag, file, then the
 * default, never a prompt. Keeps the one precedence rule of resolve.ts for them too.
 */
export async function settle(ctx: { sources: AnswerSources; answers: Partial<Answers> }, props: readonly AnswerKey[]): Promise<void> {
  for (const prop of props) {
    (ctx.answers as Record<string, unknown>)[prop] = await resolveAnswer(prop, { ...ctx.sources, prompter: undefined }, ctx.answers);
  }
}
