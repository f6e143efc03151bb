import { saveAnswers } from '../answers/save.js';
import { AbortError } from '../system/errors.js';
import type { Flow, FlowContext } from './context.js';

/**
 * The one runner every command goes through: the steps in order (checks, plan, confirmation,
 * apply), each shown as pending, running, done, failed or skipped by whichever front end runs;
 * a dry run skips the steps that change anything. The summary ends with the next
 * steps the flow left in `ctx.next`.
 */
export async function runFlow<C extends FlowContext>(flow: Flow<C>, ctx: C): Promise<void> {
  // Every run lists the same steps, so "Step 10/13" means the same in a dry run, a real run and
  // the demo; a step that does not apply to this run is shown as skipped, with why.
  ctx.ui.setSteps([...flow.steps, { id: 'summary', title: 'Summary' }].map((s) => ({ id: s.id, title: s.title, state: 'pending' as const })));
  ctx.log.info(`ha-install ${flow.command}${ctx.options.dryRun ? ' (dry run)' : ''} started; front end ${ctx.ui.name}`);
  for (const step of flow.steps) {
    if (ctx.options.dryRun && step.changes === true) {
      ctx.ui.stepState(step.id, 'skipped', 'dry run');
      continue;
    }
    if (step.when && !step.when(ctx)) {
      ctx.ui.stepState(step.id, 'skipped');
      continue;
    }
    if (step.id === 'plan' && ctx.options.saveAnswers) {
      // Every answer is known by now: save them before anything changes, so a failed apply can be replayed.
      saveAnswers(ctx.options.saveAnswers, ctx.answers, ctx.options.force);
      ctx.notes.push(`answers saved (without secrets) to ${ctx.options.saveAnswers}`);
    }
    ctx.ui.stepState(step.id, 'running');
    try {
      await step.run(ctx);
      ctx.ui.stepState(step.id, 'done');
    } catch (error) {
      ctx.ui.stepState(step.id, 'failed', error instanceof AbortError ? error.message : undefined);
      throw error;
    }
  }
  ctx.ui.stepState('summary', 'done');
  const next = ctx.options.dryRun ? ['This was a dry run: nothing was changed. Run again without --dry-run to apply the plan.'] : ctx.next;
  ctx.ui.summary(ctx.options.dryRun ? 'Dry run complete' : flow.doneTitle, [...next, ...ctx.notes, `Log: ${ctx.log.path ?? 'none'}`]);
}
