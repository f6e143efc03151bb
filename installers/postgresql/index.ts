import type { Action } from '../../src/engine/actions.js';
import type { CheckRow } from '../../src/prompts/prompter.js';
import { BugError } from '../../src/system/errors.js';
import { describeCluster, type Cluster } from './cluster.js';
import { clusterRef, type PostgresqlContext } from './context.js';
import { planMaster, preflightMaster } from './master.js';
import { planSlave, preflightSlave } from './slave.js';

/** What the install flow calls; the rest of this folder are the building blocks. */

/**
 * Debian's postgresql@.service finds a cluster's files through %I, which turns every dash of
 * `<version>-<name>` into a slash: for `ha-demo` it asserts /etc/postgresql/15/ha/demo/... and
 * every start fails. Without systemd pg_ctlcluster takes the name as it is.
 */
export function clusterNameRow(name: string, version: number | undefined, init: 'systemd' | 'none'): CheckRow | undefined {
  if (init !== 'systemd' || !name.includes('-')) return undefined;
  const unit = `postgresql@${version ?? '<version>'}-${name}`;
  return {
    name: 'cluster name',
    field: 'postgresql.cluster',
    measured: `"${name}" has a dash: systemd's unit ${unit} reads it back as ${version ?? '<version>'}/${name.replaceAll('-', '/')}`,
    required: 'no dash on a systemd machine',
    verdict: 'fail',
    fix: `set postgresql.cluster: ${name.replaceAll('-', '_')} (letters, digits and _ only)`,
  };
}

/**
 * Checks that must pass before anything changes; the slave proves the master (and waits for
 * it). Meanwhile the local cluster is described (pg_lsclusters), for the plan that follows.
 */
export async function postgresqlPreflight(ctx: PostgresqlContext): Promise<{ rows: CheckRow[]; cluster?: Promise<Cluster> }> {
  if (ctx.answers.mode !== 'master' && ctx.answers.mode !== 'slave') return { rows: [] };
  const version = ctx.answers.pgVersion ?? ctx.facts.postgresqlVersions.at(-1);
  const badName = clusterNameRow(ctx.answers.pgCluster, version, ctx.facts.init);
  if (badName) return { rows: [badName] }; // before the slave's wait for its master: nothing else matters yet
  const cluster = version !== undefined && ctx.facts.postgresqlVersions.includes(version) ? describeCluster(clusterRef(ctx), ctx.log) : undefined;
  cluster?.catch(() => undefined); // a failure surfaces where the plan awaits it, not as an unhandled rejection
  const withCluster = { ...ctx, cluster };
  const { rows } = ctx.answers.mode === 'master' ? await preflightMaster(withCluster) : await preflightSlave(withCluster);
  return { rows, cluster };
}

/** The PostgreSQL part of the install plan for mode master or slave. */
export async function postgresqlPlan(ctx: PostgresqlContext): Promise<Action[]> {
  switch (ctx.answers.mode) {
    case 'master':
      return planMaster(ctx);
    case 'slave':
      return planSlave(ctx);
    default:
      throw new BugError(`postgresqlPlan called for mode ${ctx.answers.mode}: only master and slave replicate`);
  }
}
