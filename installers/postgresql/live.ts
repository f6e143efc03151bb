import { setTimeout as delay } from 'node:timers/promises';
import type { RoleChange } from '../../src/flows/state.js';
import type { Logger } from '../../src/system/log.js';
import { binDir, describeCluster, type Cluster, type ClusterRef } from './cluster.js';
import { readControlData } from './control-data.js';
import { historyFromRows, historySql } from './events.js';
import { classifyLoginError, withPeer, type LoginFailure, type PeerLogin } from './remote.js';
import { querySql } from './sql.js';
import { readStandbySignal, type StandbySignal } from './standby-signal.js';

/**
 * A node's role is what PostgreSQL says, read live: in recovery or not, timeline, system
 * identifier, where its WAL ends. Never what the install chose.
 */
export type LiveRole = 'primary' | 'standby' | 'down' | 'missing';

export interface LocalView {
  cluster: Cluster;
  role: LiveRole;
  /** standby.signal says why the node is a standby when it was fenced at start. */
  fence?: StandbySignal;
  timeline?: number;
  systemId?: string;
  /** The end of its WAL: pg_current_wal_lsn on a primary, the replayed position on a standby, the checkpoint when down. */
  lsn?: string;
  /** A standby: WAL received and not yet replayed, in bytes. */
  replayBacklogBytes?: number;
  receiver?: { status: string; host: string; port: number };
  /** What a promote must turn off first: a node with no standby yet would wait forever on every commit. */
  synchronousStandbyNames?: string;
  history?: RoleChange[];
}

export async function readLocal(ref: ClusterRef, log: Logger): Promise<LocalView> {
  const cluster = await describeCluster(ref, log);
  if (!cluster.exists) return { cluster, role: 'missing' };
  const signal = readStandbySignal(cluster.dataDir);
  const fence = signal?.fenced ? signal : undefined;
  if (!cluster.running) {
    const control = readControlData(binDir(ref.version), cluster.dataDir);
    return { cluster, role: 'down', fence, timeline: control.timeline, systemId: control.systemId, lsn: control.checkpoint };
  }
  const [row] = await querySql(
    cluster,
    `SELECT pg_is_in_recovery(),
            (SELECT system_identifier FROM pg_control_system()),
            CASE WHEN pg_is_in_recovery() THEN (SELECT timeline_id FROM pg_control_checkpoint())
                 ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END,
            CASE WHEN pg_is_in_recovery() THEN coalesce(pg_last_wal_replay_lsn(), '0/0') ELSE pg_current_wal_lsn() END,
            CASE WHEN pg_is_in_recovery() THEN coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::bigint ELSE 0 END,
            coalesce((SELECT status || '|' || coalesce(sender_host, '') || '|' || coalesce(sender_port, 0) || '|' || received_tli FROM pg_stat_wal_receiver), ''),
            to_regclass('ha_install.events') IS NOT NULL,
            current_setting('synchronous_standby_names')`,
    log,
    { title: 'Reading the node\'s role' },
  );
  const standby = row?.[0] === 't';
  const [status, host, port, receivedTimeline] = (row?.[5] ?? '').split('|');
  const view: LocalView = {
    cluster,
    role: standby ? 'standby' : 'primary',
    fence: standby ? fence : undefined,
    systemId: row?.[1],
    // The timeline a primary writes is in its WAL file names (its checkpoint may still show the
    // one before a promotion); a standby's is the one it receives, else its last restartpoint's.
    timeline: standby && receivedTimeline ? Number(receivedTimeline) : Number(row?.[2]),
    lsn: row?.[3],
    replayBacklogBytes: Number(row?.[4] ?? 0),
    receiver: status ? { status, host: host ?? '', port: Number(port) } : undefined,
    synchronousStandbyNames: row?.[7] ?? '',
  };
  if (row?.[6] === 't') view.history = historyFromRows(await querySql(cluster, historySql, log, { title: 'Reading the pair\'s history' }));
  return view;
}

export interface PeerView {
  host: string;
  port: number;
  /** PostgreSQL answered and the login worked. */
  answered: boolean;
  role?: 'primary' | 'standby';
  timeline?: number;
  systemId?: string;
  lsn?: string;
  /** Why nothing could be read: refused, timeout, password, hba, starting... */
  failure?: LoginFailure;
  problem?: string;
}

/**
 * The peer over the network, as the replication role: IDENTIFY_SYSTEM over a replication
 * connection (system identifier and current timeline; allowed without superuser rights), then
 * a normal connection for the role and WAL position. A peer still starting up is asked again
 * for up to `startingWaitSeconds`.
 */
export async function readPeer(login: PeerLogin, options: { startingWaitSeconds?: number } = {}): Promise<PeerView> {
  const deadline = Date.now() + (options.startingWaitSeconds ?? 0) * 1000;
  const base = { host: login.host, port: login.port };
  for (;;) {
    try {
      const identity = await withPeer({ ...login, replication: true }, async (client) => (await client.query('IDENTIFY_SYSTEM')).rows[0] as { systemid: string; timeline: number; xlogpos: string });
      const row = await withPeer(login, async (client) =>
        (await client.query(`SELECT pg_is_in_recovery() AS standby, CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text AS lsn`)).rows[0] as { standby: boolean; lsn: string | null },
      );
      return { ...base, answered: true, role: row.standby ? 'standby' : 'primary', timeline: Number(identity.timeline), systemId: String(identity.systemid), lsn: row.lsn ?? identity.xlogpos };
    } catch (error) {
      const failure = classifyLoginError(error);
      if (failure === 'starting' && Date.now() < deadline) {
        await delay(500);
        continue;
      }
      return { ...base, answered: false, failure, problem: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** Whether a peer's failure means nobody is there (as opposed to somebody who would not say who). */
export const peerAbsent = (peer: PeerView) => !peer.answered && (peer.failure === 'refused' || peer.failure === 'timeout' || peer.failure === 'unreachable');
