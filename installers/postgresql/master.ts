import type { Action, SqlAction, StepAction } from '../../src/engine/actions.js';
import type { CheckRow } from '../../src/prompts/prompter.js';
import { applySettingsStep } from './apply.js';
import { createClusterAction, type ClusterRef } from './cluster.js';
import { backupPassword, clusterRef, confAction, hbaAction, identAction, localCluster, nodes, pgpassAction, pgVersion, versionOf, type PostgresqlContext } from './context.js';
import { agentActions, agentRoleAction, agentRoleRow } from '../agent/plan.js';
import { monitorActions } from '../monitor/plan.js';
import { eventsSql, recordEventSql } from './events.js';
import { guardActions } from './guard-plan.js';
import { leversAction } from './levers.js';
import { scramMatches, scramVerifier } from './scram.js';
import { foreignRoleFix, ROLE_MARKER } from './names.js';
import { ident, literal, localTarget, sqlOn, sqlValue } from './sql.js';
import { synchronousActions } from './synchronous.js';

/**
 * The master: settings for streaming replication, the replication role (password sent as a
 * SCRAM verifier), what the role may run so that either node can rewind onto the other, the
 * ha_install schema (events: the pair's history and the marker rows), the slot the standby
 * streams from, and the start guard. Every action is idempotent: a re-run changes nothing
 * that is already right and restarts nothing.
 */

function roleStep(ctx: PostgresqlContext, ref: ClusterRef): StepAction {
  const user = ctx.answers.replicationUser;
  return {
    kind: 'step',
    id: 'postgresql.role',
    title: `Create or update the replication role ${user}`,
    creates: [{ kind: 'role', cluster: `${ref.version}/${ref.name}`, name: user }],
    detail: [`${user}: LOGIN REPLICATION, password set as a SCRAM-SHA-256 verifier (the password itself never reaches the server)`],
    run: async ({ log, progress }) => {
      const password = backupPassword(ctx.answers);
      const current = await sqlValue(ref, `SELECT coalesce(rolpassword, '-') FROM pg_authid WHERE rolname = ${literal(user)}`, log);
      const setPassword = scramMatches(password, current) ? '' : ` PASSWORD ${literal(scramVerifier(password))}`;
      await sqlValue(
        ref,
        // Created and marked as ours, or refused: a role that was there before (a superuser,
        // an application's) must not get a new password and a pg_hba line for the peer.
        `DO $$ BEGIN
           IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(user)}) THEN
             CREATE ROLE ${ident(user)};
             COMMENT ON ROLE ${ident(user)} IS ${literal(ROLE_MARKER)};
           ELSIF EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(user)}
                          AND (rolsuper OR shobj_description(oid, 'pg_authid') IS DISTINCT FROM ${literal(ROLE_MARKER)})) THEN
             RAISE EXCEPTION 'the role % exists and was not created by ha-install (or is a superuser): not changed', ${literal(user)};
           END IF;
         END $$;
         ALTER ROLE ${ident(user)} WITH LOGIN REPLICATION${setPassword};`,
        log,
        { title: `Setting up the role ${user}` },
      );
      progress(undefined, current === undefined ? 'created' : setPassword ? 'password changed' : 'already up to date');
    },
  };
}

/**
 * What the replication role may do besides streaming, granted once on the master and so on
 * both nodes (grants replicate): read the status views (pg_monitor); the file functions
 * pg_rewind needs on its source, so either node rewinds onto the other without a superuser
 * password; and, from PostgreSQL 15, set synchronous_standby_names and reload on the primary,
 * so restore-master can turn synchronous replication back on from the old master.
 */
export function grantsSql(user: string, version: number): string {
  const role = ident(user);
  return [
    `GRANT pg_monitor TO ${role};`,
    `GRANT EXECUTE ON FUNCTION pg_catalog.pg_ls_dir(text, boolean, boolean) TO ${role};`,
    `GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text, boolean) TO ${role};`,
    `GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text) TO ${role};`,
    `GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO ${role};`,
    ...(version >= 15 ? [`GRANT ALTER SYSTEM ON PARAMETER synchronous_standby_names TO ${role};`, `GRANT EXECUTE ON FUNCTION pg_catalog.pg_reload_conf() TO ${role};`] : []),
  ].join('\n');
}

function grantsAction(ctx: PostgresqlContext, ref: ClusterRef): SqlAction {
  const user = ctx.answers.replicationUser;
  return { kind: 'sql', id: 'postgresql.grants', title: `Let ${user} read the status views and what pg_rewind needs`, target: localTarget(ref), sql: grantsSql(user, ref.version) };
}

function eventsAction(ctx: PostgresqlContext, ref: ClusterRef): SqlAction {
  const { self } = nodes(ctx.answers);
  return {
    kind: 'sql',
    id: 'postgresql.events',
    title: 'Create the ha_install schema (the pair\'s history, the marker rows)',
    target: localTarget(ref),
    sql: `${eventsSql(ctx.answers.replicationUser)}\n${recordEventSql(self, 'installed', `master, ha-install ${versionOf(ctx)}`)}`,
  };
}

export function slotSql(slot: string, reserve: boolean): string {
  // In the select list, not FROM: a function in FROM would run before the WHERE.
  return `SELECT (pg_create_physical_replication_slot(${literal(slot)}, ${reserve})).slot_name
  WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = ${literal(slot)})`;
}

function slotAction(ctx: PostgresqlContext, ref: ClusterRef): SqlAction {
  const slot = ctx.answers.slotName;
  return {
    kind: 'sql',
    id: 'postgresql.slot',
    title: `Create the replication slot ${slot} (if missing)`,
    target: localTarget(ref),
    creates: [{ kind: 'slot', cluster: `${ref.version}/${ref.name}`, name: slot }],
    sql: slotSql(slot, false),
    note: (rows) => (rows.length > 0 ? 'created' : 'already there'),
  };
}

export async function planMaster(ctx: PostgresqlContext): Promise<Action[]> {
  const ref = clusterRef(ctx);
  const cluster = await localCluster(ctx);
  return [
    ...(cluster.exists ? [] : [createClusterAction(ref, ctx.answers.pgPort, ctx.answers.pgSocketDir)]),
    confAction(ctx),
    hbaAction(ctx),
    identAction(ctx),
    pgpassAction(ctx),
    ...(await guardActions(ctx, cluster)),
    applySettingsStep(ref, ctx.facts.init, cluster),
    roleStep(ctx, ref),
    grantsAction(ctx, ref),
    eventsAction(ctx, ref),
    leversAction(ref, ctx.answers.replicationUser),
    slotAction(ctx, ref),
    ...(await synchronousActions(ctx, cluster, ctx.answers.synchronous)),
    agentRoleAction(ref),
    ...agentActions(ctx, cluster),
    ...monitorActions(ctx, cluster),
  ];
}

/** Local checks only: the master needs nothing from the slave. */
export async function preflightMaster(ctx: PostgresqlContext): Promise<{ rows: CheckRow[] }> {
  const version = pgVersion(ctx);
  const rows: CheckRow[] = [
    {
      name: 'PostgreSQL server',
      measured: ctx.facts.postgresqlVersions.length ? ctx.facts.postgresqlVersions.join(', ') : 'none installed',
      required: String(version),
      verdict: ctx.facts.postgresqlVersions.includes(version) ? 'ok' : 'info',
      fix: ctx.facts.postgresqlVersions.includes(version) ? undefined : `postgresql-${version} is installed by the packages step`,
    },
  ];
  if (!ctx.facts.postgresqlVersions.includes(version)) return { rows };
  const cluster = await localCluster(ctx);
  rows.push({
    name: 'cluster role',
    measured: !cluster.exists ? 'not created yet' : !cluster.running ? 'stopped' : cluster.inRecovery ? 'standby (read-only)' : 'primary',
    required: 'primary, stopped or missing',
    verdict: cluster.inRecovery ? 'fail' : 'ok',
    fix: cluster.inRecovery ? `${version}/${cluster.name} is a standby: promote it first, or install this server as the slave` : undefined,
  });
  // A stopped cluster cannot be asked: the role step refuses a foreign role itself, before changing it.
  if (cluster.running && !cluster.inRecovery) rows.push(await roleRow(ctx, clusterRef(ctx)), await agentRoleRow(ctx));
  return { rows };
}

/** The replication role must be ours alone: missing, or created (and marked) by ha-install, never a superuser. */
async function roleRow(ctx: PostgresqlContext, cluster: ClusterRef): Promise<CheckRow> {
  const user = ctx.answers.replicationUser;
  const [row] = await sqlOn(cluster, `SELECT rolsuper, coalesce(shobj_description(oid, 'pg_authid'), '') FROM pg_roles WHERE rolname = ${literal(user)}`, ctx.log, {
    title: `Looking up the role ${user}`,
  });
  const measured = !row ? 'not there yet: ha-install creates it' : row[0] === 't' ? `${user} exists and is a superuser` : row[1] === ROLE_MARKER ? `${user}, created by ha-install` : `${user} exists and was not created by ha-install`;
  const ok = !row || (row[0] !== 't' && row[1] === ROLE_MARKER);
  return { name: 'replication role', field: 'postgresql.replication-user', measured, required: 'missing, or created by ha-install; never a superuser', verdict: ok ? 'ok' : 'fail', fix: ok ? undefined : foreignRoleFix(user) };
}
