import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { Action, FileAction, SqlAction, SqlTarget, StepAction } from '../../src/engine/actions.js';
import { ApplyError } from '../../src/system/errors.js';
import { serviceAction, type ClusterRef } from './cluster.js';
import type { PostgresqlContext } from './context.js';
import { recordEventSql } from './events.js';
import { slotSql } from './master.js';
import { withPeer, type PeerLogin } from './remote.js';
import { verifyStreaming } from './slave.js';
import { standbySignalAction } from './standby-settings.js';
import { literal, localTarget, sqlOn } from './sql.js';
import { synchronousSql } from './synchronous.js';
import { demoteAndProve, proofOnMaster } from './switchover-proof.js';

/**
 * The switchover's plan, for either node that runs it. Both plans are built from what the run
 * began with (which node was the master), never from the live state, so an interrupted run
 * builds the same plan again and the journal resumes it. Every remote action is SQL as the
 * replication role; the promote is `CASE WHEN pg_is_in_recovery() THEN pg_promote()`, so a
 * re-run after a promote whose answer was lost goes on.
 */
export interface SwitchoverInput {
  ref: ClusterRef;
  init: 'systemd' | 'none';
  dataDir: string;
  self: string;
  peer: string;
  port: number;
  user: string;
  slot: string;
  synchronous: boolean;
  /** Where the run began: this node the master, or the standby. */
  runOn: 'master' | 'standby';
  timeoutSeconds: number;
  /** The run's marker in the state folder, and where the standby keeps the master's position. */
  intentPath: string;
  demoteRecordPath: string;
  /** The new standby's installer context (masterIp = the new primary), for the marker-row proof. */
  pg: PostgresqlContext;
  login: PeerLogin;
}

/** The promote, idempotent: a node that is the primary already answers true. */
/** 20 s: within the 30 s any query on the peer may take (remote.ts), so a lost answer ends in an error, not a hang. */
export const PROMOTE_SQL = 'SELECT CASE WHEN pg_is_in_recovery() THEN pg_promote(wait => true, wait_seconds => 20) ELSE true END';
export const PROMOTE_ID = 'switchover.promote';

function intentAction(input: SwitchoverInput, master: string, standby: string): FileAction {
  return {
    kind: 'file',
    id: 'switchover.intent',
    title: `Note that a switchover from ${master} to ${standby} begins`,
    path: input.intentPath,
    content: JSON.stringify({ master, standby, runOn: input.self }) + '\n',
    mode: 0o600,
  };
}

function intentDone(input: SwitchoverInput): StepAction {
  return {
    kind: 'step',
    id: 'switchover.intent-done',
    title: 'The switch is proven: the switchover note goes',
    detail: [`remove ${input.intentPath}`],
    run: async () => {
      rmSync(input.intentPath, { force: true });
      rmSync(input.demoteRecordPath, { force: true });
    },
  };
}

/** Run on the new primary: a marker row written here must arrive on the new standby, which streams from here. */
function verifyRemoteStandby(ref: ClusterRef, standby: PeerLogin, self: string): StepAction {
  return {
    kind: 'step',
    id: 'switchover.verify',
    title: `Verify: a marker row written here arrives on ${standby.host}, which streams from here`,
    detail: ['insert a row into ha_install.events here', `wait until ${standby.host} has it and pg_stat_replication shows it streaming`],
    run: async ({ log }) => {
      const token = randomUUID();
      await sqlOn(ref, `INSERT INTO ha_install.events (node, event, detail) VALUES (${literal(self)}, 'switchover-verified', ${literal(token)})`, log);
      const deadline = Date.now() + 60_000;
      let seen = '';
      while (Date.now() < deadline) {
        const [row] = await sqlOn(ref, `SELECT coalesce((SELECT state FROM pg_stat_replication WHERE host(client_addr) = ${literal(standby.host)} ORDER BY state = 'streaming' DESC LIMIT 1), 'none')`, log);
        seen = row?.[0] ?? 'none';
        const arrived = seen === 'streaming' && (await withPeer(standby, async (c) => (await c.query('SELECT EXISTS (SELECT 1 FROM ha_install.events WHERE detail = $1) AS ok', [token])).rows[0].ok as boolean).catch(() => false));
        if (arrived) return;
        await delay(seen === 'streaming' ? 10 : 100);
      }
      throw new ApplyError(`${standby.host} does not stream from this node a minute after the switch (walsender: ${seen}).`, { nextSteps: [`On ${standby.host}: ha-install restore-master --master-ip ${self}`] });
    },
  };
}

const sql = (id: string, title: string, target: SqlTarget, text: string, note?: SqlAction['note']): SqlAction => ({ kind: 'sql', id, title, target, sql: text, note });

export function switchoverActions(input: SwitchoverInput): Action[] {
  const local = localTarget(input.ref);
  const peer: SqlTarget = { on: 'peer', host: input.peer, port: input.port, user: input.user, database: 'postgres' };
  const onMaster = input.runOn === 'master';
  const [master, standby] = onMaster ? [input.self, input.peer] : [input.peer, input.self];
  const [standbyTarget, masterTarget] = onMaster ? [peer, local] : [local, peer];
  const synchronous = input.synchronous && input.ref.version >= 15;
  const event = recordEventSql(standby, 'switchover', `primary ${standby}, standby ${master}; run on ${input.self}`, { once: false });
  return [
    intentAction(input, master, standby),
    sql('switchover.slot', `Create the slot ${input.slot} on ${standby} for ${master}, so it streams at once`, standbyTarget, slotSql(input.slot, false), (rows) => (rows.length > 0 ? 'created' : 'already there')),
    ...(synchronous ? [{ ...sql('switchover.synchronous-off', `Synchronous replication off on ${standby} until ${master} streams from it`, standbyTarget, synchronousSql(false, input.slot)), separately: true }] : []),
    ...(onMaster
      ? [
          serviceAction(input.ref, 'stop', input.init, `Stop this node cleanly (its last WAL goes to ${standby})`, 'switchover.stop'),
          standbySignalAction({ dataDir: input.dataDir }),
          proofOnMaster(input.ref, input.dataDir, input.login, input.timeoutSeconds),
        ]
      : [demoteAndProve(input.ref, input.login, input.demoteRecordPath, input.timeoutSeconds, input.pg.log)]),
    sql(PROMOTE_ID, `Promote ${standby}${onMaster ? '' : ' (this node)'}: it becomes the primary`, standbyTarget, PROMOTE_SQL, (rows) => (rows[0]?.[0] === 't' ? 'promoted' : undefined)),
    { kind: 'wait', id: 'switchover.writable', title: `Wait until ${standby} takes writes`, target: standbyTarget, sql: 'SELECT NOT pg_is_in_recovery()', timeoutSeconds: 60, intervalMs: 20, failure: `${standby} is still in recovery a minute after the promote` },
    ...(input.ref.version >= 15 ? [sql('switchover.checkpoint', `CHECKPOINT on ${standby}, so its control file shows the new timeline`, standbyTarget, 'CHECKPOINT')] : []),
    ...(onMaster
      ? [
          serviceAction(input.ref, 'start', input.init, `Start this node as the standby of ${standby}`, 'switchover.start'),
          { kind: 'step', id: 'switchover.verify', title: `Verify: a marker row written on ${standby} arrives here`, detail: [`insert a row into ha_install.events on ${standby}`, 'wait until it is here and pg_stat_wal_receiver.status = streaming'], run: ({ log }) => verifyStreaming(input.pg, input.ref, log) } satisfies StepAction,
        ]
      : [verifyRemoteStandby(input.ref, input.login, input.self)]),
    sql('switchover.drop-old-slot', `Drop the slot ${input.slot} ${master} kept from its time as primary, if any`, masterTarget, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ${literal(input.slot)} AND NOT active`, (rows) => (rows.length > 0 ? 'dropped' : 'none there')),
    ...(synchronous ? [{ ...sql('switchover.synchronous-on', `Synchronous replication on ${standby} again: commits wait for ${master}`, standbyTarget, synchronousSql(true, input.slot)), separately: true }] : []),
    sql('switchover.record', `Record the switchover in the pair's history on ${standby}`, standbyTarget, event),
    intentDone(input),
  ];
}
