import type { Action, StepAction } from '../../src/engine/actions.js';
import type { CheckRow } from '../../src/prompts/prompter.js';
import { applySettingsStep } from './apply.js';
import { createClusterAction, type ClusterRef } from './cluster.js';
import { backupPassword, clusterRef, confAction, hbaAction, localCluster, nodes, pgpassAction, pgVersion, versionOf, type PostgresqlContext } from './context.js';
import { scramMatches, scramVerifier } from './scram.js';
import { foreignRoleFix, ROLE_MARKER } from './names.js';
import { ident, literal, sqlOn, sqlValue } from './sql.js';

/**
 * The master: settings for streaming replication, the replication role (password sent as a
 * SCRAM verifier), the ha_install.events table the slave proves replication with, and the
 * slot the slave streams from. Every step is idempotent: a re-run changes nothing that is
 * already right and restarts nothing.
 */

function roleStep(ctx: PostgresqlContext, ref: ClusterRef): StepAction {
  const user = ctx.answers.replicationUser;
  return {
    kind: 'step',
    id: 'postgresql.role',
    title: `Create or update the replication role ${user}`,
    detail: [`${user}: LOGIN REPLICATION, member of pg_monitor, password set as a SCRAM-SHA-256 verifier (the password itself never reaches the server)`],
    run: async ({ log, progress }) => {
      const password = backupPassword(ctx.answers);
      const current = await sqlValue(ref, `SELECT coalesce(rolpassword, '-') FROM pg_authid WHERE rolname = ${literal(user)}`, log);
      const setPassword = scramMatches(password, current) ? '' : ` PASSWORD ${literal(scramVerifier(password))}`;
      await sqlOn(
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
         ALTER ROLE ${ident(user)} WITH LOGIN REPLICATION${setPassword};
         GRANT pg_monitor TO ${ident(user)};`,
        log,
        { title: `Setting up the role ${user}` },
      );
      progress(undefined, current === undefined ? 'created' : setPassword ? 'password changed' : 'already up to date');
    },
  };
}

/** The events table, and one row saying this node was configured (the status shows the last one). */
export function eventsSql(user: string, node: string, event: string, detail: string): string {
  return `CREATE SCHEMA IF NOT EXISTS ha_install;
    CREATE TABLE IF NOT EXISTS ha_install.events (
      id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), node text, event text NOT NULL, detail text);
    GRANT USAGE ON SCHEMA ha_install TO ${ident(user)};
    GRANT SELECT, INSERT ON ha_install.events TO ${ident(user)};
    GRANT USAGE ON SEQUENCE ha_install.events_id_seq TO ${ident(user)};
    INSERT INTO ha_install.events (node, event, detail) VALUES (${literal(node)}, ${literal(event)}, ${literal(detail)});`;
}

function eventsStep(ctx: PostgresqlContext, ref: ClusterRef): StepAction {
  const user = ctx.answers.replicationUser;
  return {
    kind: 'step',
    id: 'postgresql.events',
    title: 'Create the ha_install.events table',
    detail: [`schema ha_install, table events; ${user} may SELECT and INSERT (the slave writes its marker row there)`],
    run: async ({ log }) => {
      await sqlOn(ref, eventsSql(user, nodes(ctx.answers).self, 'master-configured', `ha-install ${versionOf(ctx)}`), log);
    },
  };
}

function slotStep(ctx: PostgresqlContext, ref: ClusterRef): StepAction {
  const slot = ctx.answers.slotName;
  return {
    kind: 'step',
    id: 'postgresql.slot',
    title: `Create the replication slot ${slot}`,
    detail: [`physical slot ${slot}, created only if missing; it keeps WAL for the slave up to max_slot_wal_keep_size`],
    run: async ({ log, progress }) => {
      const created = await sqlOn(
        ref,
        // In the select list, not FROM: a function in FROM would run before the WHERE.
        `SELECT (pg_create_physical_replication_slot(${literal(slot)})).slot_name
          WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = ${literal(slot)})`,
        log,
      );
      progress(undefined, created.length > 0 ? 'created' : 'already there');
    },
  };
}

export async function planMaster(ctx: PostgresqlContext): Promise<Action[]> {
  const ref = clusterRef(ctx);
  const cluster = await localCluster(ctx);
  return [
    ...(cluster.exists ? [] : [createClusterAction(ref, ctx.answers.pgPort, ctx.answers.pgSocketDir)]),
    confAction(ctx),
    hbaAction(ctx),
    pgpassAction(ctx),
    applySettingsStep(ref, ctx.facts.init, cluster),
    roleStep(ctx, ref),
    eventsStep(ctx, ref),
    slotStep(ctx, ref),
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
  if (cluster.running && !cluster.inRecovery) rows.push(await roleRow(ctx, clusterRef(ctx)));
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
