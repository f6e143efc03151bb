import type { Answers } from '../../answers/types.js';
import { join } from 'node:path';
import type { Action, Plan, StepAction } from '../../engine/actions.js';
import { BackupStore } from '../../engine/backups.js';
import { Journal } from '../../engine/journal.js';
import { applyPlan } from '../../engine/runner.js';
import { postgresqlVersions } from '../../system/facts.js';
import { renderPlan } from '../../engine/plan-printer.js';
import { CancelledError } from '../../system/errors.js';
import { planPackages } from '../../../installers/packages/index.js';
import { postgresqlPlan } from '../../../installers/postgresql/index.js';
import { modeTitles } from './mode.js';
import { settle } from './settle.js';
import { replicates, type InstallContext } from '../context.js';

/** Installers turn answers and facts into actions; nothing runs here. */
export async function buildPlan(ctx: InstallContext): Promise<Plan> {
  if (!replicates(ctx.answers)) await settle(ctx, ['pgVersion']);
  await settle(ctx, ['skipPackages', 'extraPackages']);
  const answers = ctx.answers as Answers;
  const actions: Action[] = [];
  const notes: string[] = [];
  const packages = await planPackages(answers, ctx.facts, ctx.log);
  if (packages.action) actions.push(packages.action);
  if (packages.note) notes.push(packages.note);
  if (replicates(answers)) {
    const installed = answers.pgVersion === undefined ? ctx.facts.postgresqlVersions.length > 0 : ctx.facts.postgresqlVersions.includes(answers.pgVersion);
    actions.push(...(installed ? await postgresqlPlan({ answers, facts: ctx.facts, log: ctx.log, cluster: ctx.pgCluster }) : [deferredPostgresql(ctx)]));
  }
  if (answers.mode === 'load-balancer') notes.push('the HAProxy configuration is not written by this version: only the package is installed');
  return { title: `${modeTitles[answers.mode]} install on ${ctx.facts.hostname}`, actions, notes };
}

/**
 * On a machine without PostgreSQL the cluster only exists once the package step has run (the
 * Debian package creates it), so its configuration is planned then, shown, and applied with
 * its own journal.
 */
function deferredPostgresql(ctx: InstallContext): StepAction {
  const answers = ctx.answers as Answers;
  return {
    kind: 'step',
    id: `postgresql:after-packages:${answers.mode}`,
    title: 'Configure PostgreSQL replication',
    detail: [`PostgreSQL ${answers.pgVersion ?? ''} is not installed yet: its settings are planned and shown right after the package step`],
    run: async (apply) => {
      const facts = { ...ctx.facts, postgresqlVersions: postgresqlVersions() };
      const plan: Plan = { title: 'PostgreSQL replication', actions: await postgresqlPlan({ answers, facts, log: apply.log }), notes: [] };
      ctx.ui.showPlan(plan, renderPlan(plan).diffs);
      await applyPlan(plan, {
        log: apply.log,
        backups: new BackupStore(join(ctx.options.stateDir, 'backups', ctx.stamp)),
        journal: new Journal(join(ctx.options.stateDir, 'journal-postgresql.json'), plan),
        onEvent: (event) => ctx.ui.progress(event),
        secrets: apply.secrets,
        stamp: ctx.stamp,
      });
    },
  };
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
