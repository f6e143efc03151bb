import type { Logger } from '../../src/system/log.js';
import { describeCluster, type Cluster, type ClusterRef } from './cluster.js';
import { literal, querySql } from './sql.js';
import { readStandbySignal } from './standby-signal.js';
import { readFence } from './fence.js';

/** One node's view of the pair, for `ha-install status` (and `--json`). */
export interface NodeStatus {
  cluster: string;
  /** `balancer`: a mode 4 node, which runs no PostgreSQL of its own; `standalone`: after teardown. */
  role: 'primary' | 'standby' | 'down' | 'balancer' | 'standalone';
  /** The other node as PostgreSQL sees it: the standby's address, or the master this standby streams from. */
  peer?: string;
  /** walsender state on a primary (`streaming`, `catchup`...), walreceiver status on a standby; undefined: none. */
  replication?: string;
  syncState?: string;
  lagBytes?: number;
  lagSeconds?: number;
  slot?: { name: string; active: boolean; walStatus: string; retainedBytes: number };
  timeline?: number;
  lastEvent?: { at: string; node: string; event: string; detail: string };
  /** Started read-only by the start guard, or fenced at runtime: why, and the command that brings it back. */
  fenced?: { reason: string; restore?: string; source?: 'start guard' | 'runtime' };
  healthy: boolean;
  /** Why it is not healthy, in words. */
  problems: string[];
}

const num = (value: string | undefined): number | undefined => (value === undefined || value === '' ? undefined : Number(value));

async function one(cluster: Cluster, sql: string, log: Logger): Promise<string[] | undefined> {
  return (await querySql(cluster, sql, log, { title: 'Reading the replication status' }))[0];
}

async function primaryStatus(cluster: Cluster, status: NodeStatus, slotName: string | undefined, log: Logger): Promise<void> {
  const sender = await one(
    cluster,
    `SELECT host(client_addr), state, sync_state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint,
            round(extract(epoch FROM coalesce(replay_lag, '0'::interval))::numeric, 3)
       FROM pg_stat_replication WHERE application_name <> 'pg_basebackup' ORDER BY state = 'streaming' DESC LIMIT 1`,
    log,
  );
  if (sender) [status.peer, status.replication, status.syncState] = sender;
  status.lagBytes = num(sender?.[3]);
  status.lagSeconds = num(sender?.[4]);
  const slot = await one(
    cluster,
    `SELECT slot_name, active, coalesce(wal_status, ''), coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint, 0)
       FROM pg_replication_slots WHERE slot_type = 'physical' ${slotName ? `AND slot_name = ${literal(slotName)}` : ''} ORDER BY active DESC LIMIT 1`,
    log,
  );
  if (slot) status.slot = { name: slot[0]!, active: slot[1] === 't', walStatus: slot[2]!, retainedBytes: Number(slot[3]) };
  if (status.replication !== 'streaming') status.problems.push(sender ? `the standby is ${status.replication}, not streaming` : 'no standby is connected');
  if (slotName && !status.slot) status.problems.push(`the replication slot ${slotName} is missing`);
  if (status.slot?.walStatus === 'lost') status.problems.push(`the slot ${status.slot.name} lost WAL: the standby needs a new clone`);
}

async function standbyStatus(cluster: Cluster, status: NodeStatus, log: Logger): Promise<void> {
  const receiver = await one(cluster, `SELECT status, coalesce(sender_host, ''), received_tli FROM pg_stat_wal_receiver`, log);
  if (receiver) {
    status.replication = receiver[0];
    status.peer = receiver[1] || undefined;
    status.timeline = num(receiver[2]);
  }
  const lag = await one(
    cluster,
    `SELECT coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint, 0),
            CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                 ELSE round(extract(epoch FROM now() - pg_last_xact_replay_timestamp())::numeric, 3) END`,
    log,
  );
  status.lagBytes = num(lag?.[0]);
  status.lagSeconds = num(lag?.[1]);
  if (status.replication !== 'streaming') status.problems.push(receiver ? `the walreceiver is ${status.replication}` : 'not connected to a master');
}

/** A node after teardown: a server of its own, healthy when it runs and is not in recovery. */
export async function readStandalone(ref: ClusterRef, log: Logger): Promise<NodeStatus> {
  const cluster = await describeCluster(ref, log);
  const status: NodeStatus = { cluster: `${cluster.version}/${cluster.name}`, role: cluster.running && !cluster.inRecovery ? 'standalone' : 'down', healthy: false, problems: [] };
  if (!cluster.running) status.problems.push(cluster.exists ? 'PostgreSQL is not running' : 'the cluster does not exist');
  else if (cluster.inRecovery) status.problems.push('it is still in recovery (a standby): run teardown again');
  status.healthy = status.problems.length === 0;
  return status;
}

/** Reads the local cluster's role, replication, lag, slot, timeline and the last ha_install event. */
export async function readStatus(options: { cluster: ClusterRef; slotName?: string; log: Logger }): Promise<NodeStatus> {
  const { log } = options;
  const cluster = await describeCluster(options.cluster, log);
  const status: NodeStatus = { cluster: `${cluster.version}/${cluster.name}`, role: 'down', healthy: false, problems: [] };
  if (!cluster.running) {
    status.problems.push(cluster.exists ? 'PostgreSQL is not running' : 'the cluster does not exist');
    const signal = cluster.exists ? readStandbySignal(cluster.dataDir) : undefined;
    if (signal?.fenced) status.fenced = { reason: signal.reason ?? 'fenced at start', restore: signal.restore };
    return status;
  }
  const recovery = await one(
    cluster,
    `SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() THEN (SELECT timeline_id FROM pg_control_checkpoint())
            ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END`,
    log,
  );
  status.role = recovery?.[0] === 't' ? 'standby' : 'primary';
  status.timeline = num(recovery?.[1]);
  if (status.role === 'primary') await primaryStatus(cluster, status, options.slotName, log);
  else await standbyStatus(cluster, status, log);
  const fence = readFence(cluster, cluster.dataDir);
  // A start guard's mark only counts on a standby (a primary that has one was promoted through it).
  if (fence.fenced && (fence.source === 'runtime' || status.role === 'standby')) {
    status.fenced = { reason: fence.reason ?? 'fenced', restore: fence.restore, source: fence.source };
    status.problems.unshift(`${fence.source === 'runtime' ? 'fenced' : 'fenced at start'}: ${status.fenced.reason}`);
  }
  const hasEvents = (await one(cluster, `SELECT to_regclass('ha_install.events') IS NOT NULL`, log))?.[0] === 't';
  const event = hasEvents
    ? await one(cluster, `SELECT at, coalesce(node, ''), event, coalesce(replace(detail, E'\\n', ' '), '') FROM ha_install.events ORDER BY id DESC LIMIT 1`, log)
    : undefined;
  if (event) status.lastEvent = { at: event[0]!, node: event[1]!, event: event[2]!, detail: event[3]! };
  status.healthy = status.problems.length === 0;
  return status;
}
