import { join } from 'node:path';
import { settingsFileAction, type Action, type SqlAction } from '../../src/engine/actions.js';
import type { CheckRow } from '../../src/prompts/prompter.js';
import { runtimeFor, type Runtime } from '../../src/system/runtime.js';
import type { Cluster, ClusterRef } from '../postgresql/cluster.js';
import { clusterRef, nodes, type PostgresqlContext } from '../postgresql/context.js';
import { literal, localTarget, sqlOn } from '../postgresql/sql.js';
import { serviceActions } from '../services/plan.js';
import type { ServiceSpec } from '../services/spec.js';
import { AGENT_OS_USER, AGENT_ROLE, AGENT_ROLE_MARKER, agentConfigPath, agentServiceName, type AgentConfig } from './config.js';

/**
 * The health agent on a database node: its role (created on the master, replicated to the
 * slave: pg_monitor, no password, so it can only log in over the socket through the ident map
 * of pg_hba's block), its settings file, and its service, started after PostgreSQL is
 * configured. Re-runs change nothing that is in place; a changed setting restarts it.
 */

export const DEFAULT_LOG_DIR = '/var/log/ha-install';

export function agentRoleAction(ref: ClusterRef): SqlAction {
  return {
    kind: 'sql',
    id: 'agent.role',
    title: `Create the health agent's role ${AGENT_ROLE} (pg_monitor, no password)`,
    target: localTarget(ref),
    // Ours, or refused: a role that was there before must not be handed to a peer login.
    sql: `DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(AGENT_ROLE)}) THEN
    CREATE ROLE ${AGENT_ROLE};
    COMMENT ON ROLE ${AGENT_ROLE} IS ${literal(AGENT_ROLE_MARKER)};
  ELSIF EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(AGENT_ROLE)}
                 AND (rolsuper OR shobj_description(oid, 'pg_authid') IS DISTINCT FROM ${literal(AGENT_ROLE_MARKER)})) THEN
    RAISE EXCEPTION 'the role % exists and was not created by ha-install (or is a superuser): not changed', ${literal(AGENT_ROLE)};
  END IF;
END $$;
ALTER ROLE ${AGENT_ROLE} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD NULL;
GRANT pg_monitor TO ${AGENT_ROLE};`,
  };
}

/** The master's preflight row: the agent's role is missing or ours. */
export async function agentRoleRow(ctx: PostgresqlContext): Promise<CheckRow> {
  const [row] = await sqlOn(clusterRef(ctx), `SELECT rolsuper, coalesce(shobj_description(oid, 'pg_authid'), '') FROM pg_roles WHERE rolname = ${literal(AGENT_ROLE)}`, ctx.log, {
    title: `Looking up the role ${AGENT_ROLE}`,
  });
  const ok = !row || (row[0] !== 't' && row[1] === AGENT_ROLE_MARKER);
  return {
    name: 'agent role',
    measured: !row ? 'not there yet: ha-install creates it' : ok ? `${AGENT_ROLE}, created by ha-install` : `${AGENT_ROLE} exists and was not created by ha-install`,
    required: 'missing, or created by ha-install',
    verdict: ok ? 'ok' : 'fail',
    fix: ok ? undefined : `drop or rename the role ${AGENT_ROLE}: the health agent logs in as it, without a password`,
  };
}

export function agentConfig(ctx: PostgresqlContext, cluster: Cluster): AgentConfig {
  const ref = clusterRef(ctx);
  return {
    cluster: `${ref.version}/${ref.name}`,
    version: ref.version,
    name: ref.name,
    listen: { host: nodes(ctx.answers).self, port: ctx.answers.agentPort },
    socketDir: ctx.answers.pgSocketDir ?? cluster.socketDir,
    pgPort: ctx.answers.pgPort,
    database: 'postgres',
    user: AGENT_ROLE,
    dataDir: cluster.dataDir,
    timeoutMs: ctx.answers.agentTimeoutMs,
  };
}

export function agentSpec(ctx: PostgresqlContext, runtime: Runtime): ServiceSpec {
  const ref = clusterRef(ctx);
  const name = agentServiceName(ref);
  const { self } = nodes(ctx.answers);
  return {
    name,
    description: `ha-install health agent of PostgreSQL ${ref.version}/${ref.name} on ${self}:${ctx.answers.agentPort}`,
    argv: [...runtime.argv, 'agent', agentConfigPath(ref)],
    user: AGENT_OS_USER,
    log: join(ctx.logDir ?? DEFAULT_LOG_DIR, `${name}.log`),
    ready: { host: self, port: ctx.answers.agentPort },
    after: [`postgresql@${ref.version}-${ref.name}.service`],
  };
}

/** The settings file and the service; the plan puts them after PostgreSQL is configured and running. */
export function agentActions(ctx: PostgresqlContext, cluster: Cluster, runtime = runtimeFor()): Action[] {
  const ref = clusterRef(ctx);
  const config = settingsFileAction('agent.config', `Write the health agent's settings ${agentConfigPath(ref)}`, agentConfigPath(ref), agentConfig(ctx, cluster));
  return [config, ...serviceActions(agentSpec(ctx, runtime), { init: ctx.facts.init, runtime, restartOn: [config.id] })];
}
