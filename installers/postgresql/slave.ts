import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Action, SqlAction, StepAction } from '../../src/engine/actions.js';
import { ApplyError, InputError } from '../../src/system/errors.js';
import type { Logger } from '../../src/system/log.js';
import { applySettingsStep } from './apply.js';
import { createClusterAction, type Cluster, type ClusterRef } from './cluster.js';
import { cloneActions, swapActions } from './clone.js';
import { clusterRef, confAction, hbaAction, identAction, localCluster, nodes, pgpassAction, versionOf, type PostgresqlContext } from './context.js';
import { agentActions } from '../agent/plan.js';
import { monitorActions } from '../monitor/plan.js';
import { recordEventSql } from './events.js';
import { guardActions } from './guard-plan.js';
import { standbySignalAction } from './standby-settings.js';
import { loginProblem, masterLogin, readMaster } from './master-link.js';
import { withPeer } from './remote.js';
import { literal, querySql, sqlOn } from './sql.js';

export { preflightSlave } from './slave-preflight.js';


/** First action of the plan: prove the login again, so a wrong password stops before any change. */
function loginStep(ctx: PostgresqlContext): StepAction {
  return {
    kind: 'step',
    id: 'postgresql.check-master',
    title: `Check the replication login on the master ${ctx.answers.masterIp}`,
    detail: [`${ctx.answers.replicationUser} logs in to ${ctx.answers.masterIp}:${ctx.answers.pgPort} with the backup password`],
    run: async () => {
      try {
        await readMaster(ctx);
      } catch (error) {
        const problem = loginProblem(ctx, error);
        const field = problem.kind === 'password' ? 'postgresql.backup-password' : problem.kind === 'hba' ? 'slave-ip' : 'master-ip';
        // The field is in the message too: an engine that wraps errors keeps the message.
        throw new InputError(`${field}: ${problem.message}. Nothing was changed.`, [{ field, message: problem.message, fix: problem.fix }]);
      }
    },
  };
}

/** Already a standby streaming from this very master (same system identifier, address, port)? */
export async function streamsFrom(ctx: PostgresqlContext, cluster: Cluster): Promise<boolean> {
  if (!cluster.running || !cluster.inRecovery) return false;
  const [row] = await querySql(
    cluster,
    `SELECT coalesce((SELECT status || '|' || coalesce(sender_host, '') || '|' || coalesce(sender_port, 0) FROM pg_stat_wal_receiver), ''),
            (SELECT system_identifier FROM pg_control_system())`,
    ctx.log,
  );
  const [status, host, port] = (row?.[0] ?? '').split('|');
  if (status !== 'streaming' || host !== ctx.answers.masterIp || Number(port) !== ctx.answers.pgPort) return false;
  try {
    return (await readMaster(ctx)).systemId === row?.[1];
  } catch {
    return false; // the plan's first step reports the login problem in the admin's words
  }
}

/**
 * Proves replication end to end: a marker row written on the master now (after the clone, so
 * only streaming can bring it) must appear here while pg_stat_wal_receiver says streaming.
 * One psql per poll asks both, so a slave that streams at once is proven in one round trip.
 */
export async function verifyStreaming(ctx: PostgresqlContext, ref: ClusterRef, log: Logger, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const token = randomUUID();
  await withPeer(masterLogin(ctx), (client) =>
    client.query(`INSERT INTO ha_install.events (node, event, detail) VALUES ($1, 'slave-verified', $2)`, [nodes(ctx.answers).self, token]),
  );
  let [status, arrived] = ['', false];
  while (Date.now() < deadline) {
    const [row] = await sqlOn(
      ref,
      `SELECT coalesce((SELECT status FROM pg_stat_wal_receiver), 'none'),
              EXISTS (SELECT 1 FROM ha_install.events WHERE detail = ${literal(token)})`,
      log,
    );
    [status, arrived] = [row?.[0] ?? '', row?.[1] === 't'];
    if (status === 'streaming' && arrived) return;
    await delay(status === 'streaming' ? 10 : 100);
  }
  if (status !== 'streaming') {
    throw new ApplyError(`The slave does not stream from the master (walreceiver: ${status || 'none'}).`, {
      nextSteps: [`Look at the PostgreSQL log: /var/log/postgresql/postgresql-${ref.version}-${ref.name}.log`],
    });
  }
  throw new ApplyError('A marker row written on the master did not arrive on the slave within a minute.', {
    nextSteps: ['Run `ha-install status` on both servers to see the replication state.'],
  });
}

function verifyStep(ctx: PostgresqlContext, ref: ClusterRef): StepAction {
  return {
    kind: 'step',
    id: 'postgresql.verify-streaming',
    title: 'Verify replication: a marker row written on the master arrives here',
    detail: ['insert a row into ha_install.events on the master', 'wait until it is here and pg_stat_wal_receiver.status = streaming'],
    run: ({ log }) => verifyStreaming(ctx, ref, log),
  };
}

export async function planSlave(ctx: PostgresqlContext): Promise<Action[]> {
  const ref = clusterRef(ctx);
  const cluster = await localCluster(ctx);
  const streaming = cluster.exists && (await streamsFrom(ctx, cluster));
  if (streaming) ctx.log.info(`${ref.version}/${ref.name} already streams from ${ctx.answers.masterIp}: no clone`);
  // The clone needs only .pgpass; the configuration follows it, so a failed clone leaves the
  // old cluster as it was, files included (.pgpass aside, which a re-run writes the same).
  return [
    loginStep(ctx),
    ...(cluster.exists ? [] : [createClusterAction(ref, ctx.answers.pgPort, ctx.answers.pgSocketDir)]),
    pgpassAction(ctx),
    ...(streaming ? [] : cloneActions(ctx, cluster)),
    confAction(ctx),
    hbaAction(ctx),
    identAction(ctx),
    ...(await guardActions(ctx, cluster)),
    ...(streaming ? [standbySignalAction(cluster)] : swapActions(ctx, cluster)),
    applySettingsStep(ref, ctx.facts.init, cluster),
    verifyStep(ctx, ref),
    recordOnMaster(ctx),
    // The agent's role came with the clone (or streams from the master): its service starts last.
    ...agentActions(ctx, cluster),
    // The monitor last: it looks at this node through its agent.
    ...monitorActions(ctx, cluster),
  ];
}

/** The slave's install in the pair's history, written on the master (it replicates back here). */
function recordOnMaster(ctx: PostgresqlContext): SqlAction {
  const a = ctx.answers;
  return {
    kind: 'sql',
    id: 'postgresql.record-install',
    title: `Record this install in the pair's history on the master ${a.masterIp}`,
    target: { on: 'peer', host: a.masterIp, port: a.pgPort, user: a.replicationUser, database: 'postgres' },
    sql: recordEventSql(nodes(a).self, 'installed', `slave, ha-install ${versionOf(ctx)}`),
  };
}
