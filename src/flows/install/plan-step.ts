import { join } from 'node:path';
import type { Answers } from '../../answers/types.js';
import type { Action, Plan, StepAction } from '../../engine/actions.js';
import { renderPlan } from '../../engine/plan-printer.js';
import { postgresqlVersions } from '../../system/facts.js';
import { planPackages } from '../../../installers/packages/index.js';
import { postgresqlPlan } from '../../../installers/postgresql/index.js';
import { applyWithJournal, journalPath } from '../common-steps.js';
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
  actions.push(...packages.actions);
  if (packages.note) notes.push(packages.note);
  if (replicates(answers)) {
    const installed = answers.pgVersion === undefined ? ctx.facts.postgresqlVersions.length > 0 : ctx.facts.postgresqlVersions.includes(answers.pgVersion);
    actions.push(...(installed ? await postgresqlPlan({ answers, facts: ctx.facts, log: ctx.log, cluster: ctx.pgCluster, stateDir: ctx.options.stateDir }) : [deferredPostgresql(ctx)]));
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
      const plan: Plan = { title: 'PostgreSQL replication', actions: await postgresqlPlan({ answers, facts, log: apply.log, stateDir: ctx.options.stateDir }), notes: [] };
      ctx.ui.showPlan(plan, renderPlan(plan).diffs);
      await applyWithJournal(ctx, plan, journalPath(ctx, '-postgresql'));
    },
  };
}
