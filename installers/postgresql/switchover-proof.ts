import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { StepAction } from '../../src/engine/actions.js';
import { ApplyError } from '../../src/system/errors.js';
import type { Logger } from '../../src/system/log.js';
import { binDir, type ClusterRef } from './cluster.js';
import { readControlData } from './control-data.js';
import { readPeer } from './live.js';
import { withPeer, type PeerLogin } from './remote.js';
import { sqlValue } from './sql.js';
import { lsnBytes } from './timelines.js';

/**
 * The proof a switchover loses nothing: the old master's last WAL record, its shutdown
 * checkpoint, has been replayed by the standby before the standby is promoted. Compared as
 * LSNs, never assumed after a sleep. A standby's replay position is the end of the last record
 * it replayed, so "replayed past the checkpoint's start" means the checkpoint record itself.
 */

/** Polls `replayed()` (the standby's replay position) until it is past `checkpoint`, or fails after the timeout. */
async function replayPast(checkpoint: string, replayed: () => Promise<string | undefined>, timeoutSeconds: number, where: string, progress: (detail: string) => void): Promise<string> {
  const started = Date.now();
  let last: string | undefined;
  let problem = '';
  for (;;) {
    try {
      last = await replayed();
      problem = '';
      if (last && lsnBytes(last) > lsnBytes(checkpoint)) return `${where} replayed to ${last}, past the shutdown checkpoint ${checkpoint}, in ${((Date.now() - started) / 1000).toFixed(2)} s`;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() - started > timeoutSeconds * 1000) break;
    progress(problem ? `${where}: ${problem}` : `${where} at ${last ?? '?'}, the checkpoint at ${checkpoint}`);
    await delay(20);
  }
  throw new ApplyError(`${where} did not replay the old master's shutdown checkpoint ${checkpoint} within ${timeoutSeconds} s (${problem || `it is at ${last ?? 'an unknown position'}`}): it is not promoted.`);
}

const peerReplay = (login: PeerLogin) => () =>
  withPeer({ ...login, timeoutMs: 2000 }, async (client) => {
    const row = (await client.query(`SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn`)).rows[0] as { standby: boolean; lsn: string | null };
    if (!row.standby) throw new ApplyError('the standby is a primary already, promoted by someone else: stopping here');
    return row.lsn ?? undefined;
  });

/** Run on the master, now stopped: its pg_controldata against the standby's replay, over the network. */
export function proofOnMaster(ref: ClusterRef, dataDir: string, standby: PeerLogin, timeoutSeconds: number): StepAction {
  return {
    kind: 'step',
    id: 'switchover.proof',
    title: `Prove that ${standby.host} replayed all of this node's WAL`,
    detail: [`pg_controldata ${dataDir}: "shut down", its latest checkpoint X`, `poll pg_last_wal_replay_lsn() on ${standby.host} until it is past X (at most ${timeoutSeconds} s)`],
    run: async ({ progress }) => {
      const control = readControlData(binDir(ref.version), dataDir);
      if (control.state !== 'shut down' || !control.checkpoint) throw new ApplyError(`This node did not shut down cleanly (pg_controldata: ${control.state ?? 'unreadable'}): its last WAL may not have been shipped.`);
      return replayPast(control.checkpoint, peerReplay(standby), timeoutSeconds, `the standby ${standby.host}`, (d) => progress(undefined, d));
    },
  };
}

/** Where the run on the standby keeps the master's WAL position from before it was asked to step down. */
interface DemoteRecord {
  before: string;
}

/**
 * Run on the standby: ask the master to step down (ha_install.switchover_demote: standby.signal,
 * a clean restart), wait until it answers as a standby, read its checkpoint over the network
 * (a shutdown checkpoint, with redo = itself, written after the position it had before), and
 * wait until this node has replayed past it. Re-entrant: a master that is a standby already is
 * not asked again, and the position from before is kept in `recordPath`.
 */
export function demoteAndProve(ref: ClusterRef, master: PeerLogin, recordPath: string, timeoutSeconds: number, log: Logger): StepAction {
  return {
    kind: 'step',
    id: 'switchover.demote-and-proof',
    title: `Ask the master ${master.host} to step down, and prove this node replayed all of its WAL`,
    detail: [
      `on ${master.host}: SELECT ha_install.switchover_demote(false): standby.signal, then pg_ctlcluster restart -m fast (its last WAL is shipped)`,
      `wait until ${master.host} answers as a standby; read its pg_control_checkpoint(): a shutdown checkpoint X`,
      `poll pg_last_wal_replay_lsn() here until it is past X (at most ${timeoutSeconds} s)`,
    ],
    run: async ({ progress }) => {
      const view = await readPeer(master, { startingWaitSeconds: 5 });
      const record = existsSync(recordPath) ? (JSON.parse(readFileSync(recordPath, 'utf8')) as DemoteRecord) : undefined;
      let before = record?.before;
      if (view.answered && view.role === 'primary') {
        before = await withPeer(master, async (client) => ((await client.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0] as { lsn: string }).lsn);
        writeFileSync(recordPath, JSON.stringify({ before } satisfies DemoteRecord) + '\n', { mode: 0o600 });
        progress(undefined, `asking ${master.host} to step down (it was at ${before})`);
        await withPeer(master, (client) => client.query('SELECT ha_install.switchover_demote(false)')).catch((error: { code?: string }) => {
          // Its fast shutdown may end this very session before the answer arrives.
          if (error.code !== '57P01' && !/terminat|Connection terminated|ECONNRESET/i.test(String(error))) throw error;
        });
      } else if (!before) throw new ApplyError(`The master ${master.host} is not a primary (${view.answered ? view.role : view.failure}) and this run never asked it to step down: see ha-install status.`);
      const deadline = Date.now() + timeoutSeconds * 1000;
      let checkpoint: { lsn: string; redo: string } | undefined;
      while (!checkpoint) {
        const now = await readPeer({ ...master, timeoutMs: 2000 });
        if (now.answered && now.role === 'standby') {
          checkpoint = await withPeer(master, async (client) => (await client.query(`SELECT checkpoint_lsn::text AS lsn, redo_lsn::text AS redo FROM pg_control_checkpoint()`)).rows[0] as { lsn: string; redo: string });
        } else if (Date.now() > deadline) {
          throw new ApplyError(`The master ${master.host} did not come back as a standby within ${timeoutSeconds} s (${now.answered ? now.role : `${now.failure}: ${now.problem}`}): this node is not promoted.`);
        } else {
          progress(undefined, `waiting for ${master.host} to restart as a standby (${now.answered ? now.role : now.failure})`);
          await delay(50);
        }
      }
      if (checkpoint.lsn !== checkpoint.redo || lsnBytes(checkpoint.lsn) < lsnBytes(before!)) {
        throw new ApplyError(`The master ${master.host}'s last checkpoint ${checkpoint.lsn} (redo ${checkpoint.redo}) is not the shutdown checkpoint of the restart asked for (it was at ${before}): not promoting.`);
      }
      log.info(`switchover: ${master.host} stepped down; its shutdown checkpoint is ${checkpoint.lsn}`);
      const local = async () => (await sqlValue(ref, 'SELECT pg_last_wal_replay_lsn()', log)) || undefined;
      return replayPast(checkpoint.lsn, local, timeoutSeconds, 'this node', (d) => progress(undefined, d));
    },
  };
}
