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
import { balancerPlan } from '../../../installers/haproxy/plan.js';
import { detectSecurity, firewallPlan } from '../../../installers/firewall/firewall.js';
import { runtimeStep } from '../../../installers/postgresql/guard-plan.js';
import { runtimeFor } from '../../system/runtime.js';
import { serviceLogDir } from './preflight.js';
import { monitorNotes, witnessActions } from '../../../installers/monitor/plan.js';

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
  const security = answers.mode === 'standalone' || !answers.openFirewall ? undefined : (ctx.facts.security ?? (await detectSecurity(ctx.log)));
  if (replicates(answers)) {
    const installed = answers.pgVersion === undefined ? ctx.facts.postgresqlVersions.length > 0 : ctx.facts.postgresqlVersions.includes(answers.pgVersion);
    actions.push(...(installed ? await postgresqlPlan({ answers, facts: ctx.facts, log: ctx.log, cluster: ctx.pgCluster, stateDir: ctx.options.stateDir, logDir: serviceLogDir(ctx) }) : [deferredPostgresql(ctx)]));
    if (security) {
      // PostgreSQL and the agent from the peer and the balancer only: no one else needs either.
      const peer = answers.mode === 'master' ? answers.slaveIp : answers.masterIp;
      const from = [peer, ...(answers.balancerIp ? [answers.balancerIp] : [])];
      const firewall = firewallPlan(security, [
        { port: answers.pgPort, from, what: 'PostgreSQL' },
        { port: answers.agentPort, from, what: 'the health agent' },
      ]);
      actions.push(...firewall.actions);
      notes.push(...firewall.notes);
    }
    notes.push(...monitorNotes(answers));
  }
  if (answers.mode === 'load-balancer') {
    const runtime = runtimeFor();
    const balancer = balancerPlan(answers, { init: ctx.facts.init, logDir: serviceLogDir(ctx), security: security ?? { firewall: 'none', present: [], selinux: 'absent' }, log: ctx.log, runtime });
    const witness = witnessActions(answers, { init: ctx.facts.init, logDir: serviceLogDir(ctx), runtime });
    actions.push(...(balancer.service.spec || witness.length > 0 ? [runtimeStep(runtime)] : []), ...balancer.actions, ...witness);
    notes.push(...balancer.notes);
    if (balancer.newStatsPassword) ctx.secrets.statsPassword = balancer.newStatsPassword;
  }
  if (!answers.openFirewall && answers.mode !== 'standalone') notes.push('firewall and SELinux left as they are (firewall.open-ports: false)');
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
      const plan: Plan = { title: 'PostgreSQL replication', actions: await postgresqlPlan({ answers, facts, log: apply.log, stateDir: ctx.options.stateDir, logDir: serviceLogDir(ctx) }), notes: [] };
      ctx.ui.showPlan(plan, renderPlan(plan).diffs);
      await applyWithJournal(ctx, plan, journalPath(ctx, '-postgresql'));
    },
  };
}
