import type { Action, SqlAction, WaitAction } from '../../src/engine/actions.js';
import type { CheckRow } from '../../src/prompts/prompter.js';
import type { ClusterRef } from './cluster.js';
import type { LocalView, PeerView } from './live.js';
import { liftRuntimeFenceActions } from './fence.js';
import { slotSql } from './master.js';
import { literal, localTarget } from './sql.js';
import { synchronousSql } from './synchronous.js';

/**
 * Promote: the standby becomes the primary. Everything here is data the dry run prints: the
 * replay wait, synchronous replication off (this node has no standby yet: with it on, every
 * commit would wait for one), pg_promote, the CHECKPOINT at once (until the new primary's
 * first checkpoint its control file still shows the old timeline, and pg_rewind against it
 * reports "no rewind required": the old master's rejoin would silently fail), the slot the
 * old master will stream from (reserving WAL from now), and the event in the pair's history.
 */
export interface PromoteInput {
  ref: ClusterRef;
  self: string;
  peer: string;
  slot: string;
  replayTimeoutSeconds: number;
  /** The reason recorded with a forced promote. */
  forced?: string;
  /** The failover monitor's reason, when it promotes. */
  automatic?: string;
  /** synchronous_standby_names as this node has it now (a clone of a synchronous master carries it). */
  synchronousStandbyNames: string;
}

/** The timeline a primary writes: the first 8 hex digits of its current WAL file's name. */
export const timelineSql = "(('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int)";

export function promoteChecks(local: LocalView, peer: PeerView, input: { force: boolean; reason?: string }): CheckRow[] {
  const peerName = `${peer.host}:${peer.port}`;
  const master =
    peer.answered && peer.role === 'primary'
      ? { measured: `a writable primary (timeline ${peer.timeline})`, verdict: input.force ? ('warn' as const) : ('fail' as const) }
      : peer.answered
        ? { measured: `a standby (timeline ${peer.timeline})`, verdict: 'ok' as const }
        : peer.failure === 'refused' || peer.failure === 'timeout' || peer.failure === 'unreachable'
          ? { measured: `does not answer (${peer.failure})`, verdict: 'ok' as const }
          : { measured: `answers but refuses the login (${peer.failure}: ${peer.problem})`, verdict: input.force ? ('warn' as const) : ('fail' as const) };
  return [
    {
      name: 'this node',
      measured: local.role === 'standby' ? `standby, timeline ${local.timeline}${local.receiver ? `, walreceiver ${local.receiver.status}` : ''}` : local.role,
      required: 'a running standby of the pair',
      verdict: local.role === 'standby' ? 'ok' : 'fail',
      fix:
        local.role === 'primary'
          ? 'this node is already the primary: nothing to promote'
          : local.role === 'down'
            ? `start it first (it starts as a standby): pg_ctlcluster ${local.cluster.version} ${local.cluster.name} start`
            : local.role === 'missing'
              ? `the cluster ${local.cluster.version}/${local.cluster.name} does not exist here`
              : undefined,
    },
    {
      name: `the master ${peerName}`,
      field: '--force',
      measured: master.measured,
      required: 'not a writable primary (or it may be alive: two primaries)',
      verdict: master.verdict,
      fix:
        master.verdict === 'fail'
          ? peer.role === 'primary'
            ? 'it is alive: a promote now makes two primaries. Swap the roles with ha-install switchover instead (it loses nothing), or pass --force --reason TEXT'
            : 'it answers on its port but this node cannot tell its role: check it, or pass --force --reason TEXT'
          : master.verdict === 'warn'
            ? `forced: ${input.reason ?? ''}`
            : undefined,
    },
    {
      name: 'WAL to replay',
      measured: local.role === 'standby' ? `${local.replayBacklogBytes ?? 0} bytes received, not yet replayed` : '-',
      required: 'replayed before the promote (waited for)',
      verdict: 'info',
    },
  ];
}

export function promoteActions(input: PromoteInput): Action[] {
  const target = localTarget(input.ref);
  const replay: WaitAction = {
    kind: 'wait',
    id: 'postgresql.replay',
    title: 'Let the standby replay the WAL it has received',
    target,
    sql: `SELECT coalesce(pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn(), true),
       pg_size_pretty(coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)) || ' to replay'`,
    timeoutSeconds: input.replayTimeoutSeconds,
    intervalMs: 100,
    failure: `replay did not catch up within ${input.replayTimeoutSeconds} s (recovery.replay-timeout-seconds)`,
    onTimeout: 'go on',
  };
  const sql = (id: string, title: string, text: string, note?: SqlAction['note']): SqlAction => ({ kind: 'sql', id, title, target, sql: text, note });
  const rest = `; the old primary ${input.peer}${input.forced ? `; FORCED: ${input.forced}` : ''}${input.automatic ? `; AUTOMATIC FAILOVER: ${input.automatic}` : ''}`;
  const detail = `'timeline ' || ${timelineSql} || ${literal(rest)}`;
  return [
    replay,
    ...(input.synchronousStandbyNames !== ''
      ? [sql('postgresql.synchronous-off', `Synchronous replication off (was ${input.synchronousStandbyNames}): this node has no standby yet`, synchronousSql(false, input.slot))]
      : []),
    sql('postgresql.promote', 'Promote: this node becomes the primary', 'SELECT pg_promote(wait => true, wait_seconds => 60)', (rows) => (rows[0]?.[0] === 't' ? 'promoted' : undefined)),
    {
      kind: 'wait',
      id: 'postgresql.writable',
      title: 'Wait until it takes writes',
      target,
      sql: 'SELECT NOT pg_is_in_recovery()',
      timeoutSeconds: 60,
      intervalMs: 20,
      failure: 'the node is still in recovery a minute after the promote',
    },
    sql('postgresql.checkpoint', 'CHECKPOINT at once, so the old master can rewind onto this timeline', 'CHECKPOINT'),
    {
      ...sql('postgresql.slot-for-peer', `Create the slot ${input.slot} for the old master ${input.peer} (reserving WAL from now)`, slotSql(input.slot, true), (rows) => (rows.length > 0 ? 'created' : 'already there')),
      creates: [{ kind: 'slot', cluster: `${input.ref.version}/${input.ref.name}`, name: input.slot }],
    },
    ...liftRuntimeFenceActions(input.ref),
    sql(
      'postgresql.record-promote',
      'Record the promote in the pair\'s history',
      `INSERT INTO ha_install.events (node, event, detail) SELECT ${literal(input.self)}, 'promoted', ${detail}`,
    ),
  ];
}
