import type { Answers } from '../../answers/types.js';
import type { Action, Plan } from '../../engine/actions.js';
import { renderPlan } from '../../engine/plan-printer.js';
import { CancelledError } from '../../system/errors.js';
import { planPackages } from '../../../installers/packages/index.js';
import { postgresqlPlan } from '../../../installers/postgresql/index.js';
import { modeTitles } from './mode.js';
import { settle } from './settle.js';
import { replicates, type InstallContext } from '../context.js';

/** Installers turn answers and facts into actions; nothing runs here. */
export async function buildPlan(ctx: InstallContext): Promise<Plan> {
  await settle(ctx, ['skipPackages', 'extraPackages', 'pgVersion']);
  const answers = ctx.answers as Answers;
  const actions: Action[] = [];
  const notes: string[] = [];
  const packages = await planPackages(answers, ctx.facts, ctx.log);
  if (packages.action) actions.push(packages.action);
  if (packages.note) notes.push(packages.note);
  if (replicates(answers)) actions.push(...(await postgresqlPlan({ answers, facts: ctx.facts, log: ctx.log })));
  if (answers.mode === 'load-balancer') notes.push('the HAProxy configuration is not written by this version: only the package is installed');
  return { title: `${modeTitles[answers.mode]} install on ${ctx.facts.hostname}`, actions, notes };
}

/** Shows the plan with file diffs. A dry run ends here; otherwise the admin confirms (or --yes). */
export async function showPlan(ctx: InstallContext): Promise<void> {
  ctx.plan = await buildPlan(ctx);
  const { summary, diffs } = renderPlan(ctx.plan);
  ctx.log.info(`plan:\n${summary}`);
  ctx.ui.showPlan(ctx.plan, diffs);
}

export async function confirmPlan(ctx: InstallContext): Promise<void> {
  if (ctx.options.dryRun || ctx.options.yes || ctx.sources.prompter === undefined) return;
  const go = await ctx.ui.confirm({ field: 'confirm', message: 'Apply this plan now?', initial: true });
  if (!go) throw new CancelledError('You chose not to apply the plan: nothing was changed.');
}
