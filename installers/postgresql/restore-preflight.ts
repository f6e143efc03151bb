import { existsSync } from 'node:fs';
import type { CheckRow } from '../../src/prompts/prompter.js';
import { binDir } from './cluster.js';
import { readControlData } from './control-data.js';
import { backupPassword, type PostgresqlContext } from './context.js';
import { readLocal, readPeer, type LocalView, type PeerView } from './live.js';
import { describeLoginFailure, readMaster } from './master-link.js';
import { cloneBytesNeeded } from './slave-preflight.js';
import { forkFrom, lsnBytes, peerHistory, walEnd } from './timelines.js';

/** What restore-master found before it plans; the dry run shows it. */
export interface RestoreFacts {
  local: LocalView;
  remote: PeerView;
  /** Where the new master's timeline left this node's: undefined when they share no history. */
  fork?: { timeline: number; at?: string };
  /** The end of this node's WAL. */
  localEnd?: string;
  /** Bytes of WAL this node holds past the fork: commits that exist only here. */
  discardBytes?: bigint;
  rewind: { possible: boolean; why: string };
  /** The new master's databases, for the disk a clone needs. */
  masterBytes?: number;
  outcome: 'refused' | 'nothing to do' | 'clear the fence' | 'rejoin';
}

export interface RestoreInput {
  pg: PostgresqlContext;
  /** A rewind that an earlier run began and did not finish (its marker is there). */
  rewindMarker: string;
  forceClone: boolean;
}

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

function rewindVerdict(input: RestoreInput, facts: Omit<RestoreFacts, 'rewind' | 'outcome'>, hints: { walLogHints?: boolean; checksums?: boolean }): RestoreFacts['rewind'] {
  if (input.forceClone) return { possible: false, why: '--clone: a full clone was asked for' };
  if (existsSync(input.rewindMarker)) return { possible: false, why: `an earlier rewind was interrupted (${input.rewindMarker}): pg_rewind's docs say the data directory may then be unusable` };
  if (!facts.fork) return { possible: false, why: 'the two timelines share no history: pg_rewind cannot find where they forked' };
  if (!hints.walLogHints && !hints.checksums) return { possible: false, why: 'neither wal_log_hints nor data checksums are on here: pg_rewind needs one' };
  return { possible: true, why: 'wal_log_hints is on and the timelines share history' };
}

/**
 * Everything restore-master proves before it changes anything, each a row of the checks table:
 * the new master answers, takes the login, is a primary of this pair, on a newer timeline;
 * then the fork point and what would be discarded, and which path (rewind or clone) is open.
 */
export async function restorePreflight(input: RestoreInput): Promise<{ rows: CheckRow[]; facts: RestoreFacts }> {
  const { pg } = input;
  const a = pg.answers;
  const ref = { version: a.pgVersion!, name: a.pgCluster };
  const login = { host: a.masterIp, port: a.pgPort, user: a.replicationUser, password: backupPassword(a), timeoutMs: 3000 };
  const [local, remote] = await Promise.all([readLocal(ref, pg.log), readPeer(login, { startingWaitSeconds: 5 })]);
  const where = `${a.masterIp}:${a.pgPort}`;
  const rows: CheckRow[] = [];
  const refuse = (row: Omit<CheckRow, 'verdict'>): { rows: CheckRow[]; facts: RestoreFacts } => {
    rows.push({ ...row, verdict: 'fail' });
    return { rows, facts: { local, remote, rewind: { possible: false, why: 'not checked' }, outcome: 'refused' } };
  };
  if (!remote.answered) {
    const problem = describeLoginFailure(pg, remote.failure ?? 'other', remote.problem ?? '');
    const unreachable = remote.failure === 'refused' || remote.failure === 'timeout' || remote.failure === 'unreachable';
    return refuse({
      name: unreachable ? 'new master reachable' : 'replication login',
      field: unreachable ? 'master-ip' : remote.failure === 'password' ? 'postgresql.backup-password' : 'master-ip',
      measured: unreachable ? `${where}: ${remote.failure} (${remote.problem})` : problem.message.replace('the master', 'the new master'),
      required: unreachable ? 'PostgreSQL answers' : `${a.replicationUser} logs in with the backup password`,
      fix: unreachable ? `check the address (the node that was promoted) and that PostgreSQL runs there` : problem.fix,
    });
  }
  rows.push({ name: 'new master reachable', measured: `${where} answers; ${a.replicationUser} logged in`, required: 'PostgreSQL answers, the login works', verdict: 'ok' });
  if (remote.role !== 'primary') {
    return refuse({ name: 'new master role', field: 'master-ip', measured: `${a.masterIp} is a standby (timeline ${remote.timeline})`, required: 'a primary', fix: `run \`ha-install promote\` on ${a.masterIp} first, or give the address of the node that was promoted` });
  }
  rows.push({ name: 'new master role', measured: `primary, timeline ${remote.timeline}`, required: 'a primary', verdict: 'ok' });
  const control = readControlData(binDir(ref.version), local.cluster.dataDir);
  const localSystem = local.systemId ?? control.systemId;
  if (localSystem !== remote.systemId) {
    return refuse({ name: 'system identifier', field: 'master-ip', measured: `${a.masterIp}: ${remote.systemId}, this node: ${localSystem ?? 'unknown'}`, required: 'the same database system (one clone of the other)', fix: `${a.masterIp} holds another database: never rewind onto it. Check the address; to pair this node with it, install it as its slave` });
  }
  rows.push({ name: 'system identifier', measured: localSystem ?? '?', required: 'the same on both', verdict: 'ok' });
  const localTimeline = local.timeline ?? control.timeline ?? 0;
  if (local.role === 'standby' && local.receiver?.status === 'streaming' && local.receiver.host === a.masterIp) {
    rows.push({ name: 'this node', measured: `a standby streaming from ${a.masterIp}`, required: '-', verdict: 'ok' });
    return { rows, facts: { local, remote, rewind: { possible: false, why: 'not needed' }, outcome: local.fence ? 'clear the fence' : 'nothing to do' } };
  }
  if ((remote.timeline ?? 0) < localTimeline || (local.role === 'primary' && (remote.timeline ?? 0) === localTimeline)) {
    return refuse({
      name: 'timelines',
      field: 'master-ip',
      measured: `${a.masterIp} on timeline ${remote.timeline}, this node on ${localTimeline}${local.role === 'primary' ? ' (and a primary)' : ''}`,
      required: `${a.masterIp} on a newer timeline than this node`,
      fix: local.role === 'primary' ? `this node is the current primary: run restore-master on ${a.masterIp} instead, with --master-ip set to this node` : `${a.masterIp} is the older side: run restore-master there, pointing at this node`,
    });
  }
  const history = await peerHistory(login, remote.timeline ?? 1);
  const fork = forkFrom(history, localTimeline, remote.timeline ?? 1);
  const localEnd = local.role === 'down' ? walEnd(binDir(ref.version), local.cluster.dataDir, localTimeline, control.checkpoint ?? '0/0') : local.lsn;
  const discardBytes = fork?.at && localEnd ? (lsnBytes(localEnd) > lsnBytes(fork.at) ? lsnBytes(localEnd) - lsnBytes(fork.at) : 0n) : undefined;
  const hints = { walLogHints: control.walLogHints, checksums: control.checksums };
  const base = { local, remote, fork, localEnd, discardBytes };
  const rewind = rewindVerdict(input, base, hints);
  rows.push({
    name: 'timelines',
    measured: fork?.at
      ? `this node: timeline ${localTimeline}, WAL to ${localEnd ?? '?'}; ${a.masterIp} left timeline ${localTimeline} at ${fork.at} (now on ${remote.timeline})`
      : fork
        ? `both on timeline ${localTimeline}; this node's WAL ends at ${localEnd ?? '?'}`
        : `timeline ${localTimeline} is not in ${a.masterIp}'s history (timeline ${remote.timeline})`,
    required: `${a.masterIp} on a newer timeline`,
    verdict: 'ok',
  });
  rows.push({
    name: 'discarded here',
    measured: discardBytes === undefined ? 'unknown' : discardBytes === 0n ? 'nothing: this node wrote nothing after the fork' : `${discardBytes} bytes of WAL after ${fork!.at}: commits that exist ONLY on this node and will be discarded`,
    required: 'shown before any change',
    verdict: discardBytes !== undefined && discardBytes > 0n ? 'warn' : 'info',
    fix: discardBytes !== undefined && discardBytes > 0n ? 'to keep them, copy what you need from this node before going on (the clone path moves the old data directory aside)' : undefined,
  });
  rows.push({ name: 'rewind', measured: rewind.possible ? 'possible' : `not used: ${rewind.why}`, required: 'pg_rewind, else a full clone', verdict: 'info' });
  const master = await readMaster(pg).catch(() => undefined);
  const need = master ? cloneBytesNeeded(master.databaseBytes) : undefined;
  const free = pg.facts.disk.freeBytes;
  const cloneNeeded = !rewind.possible;
  if (need !== undefined) {
    rows.push({
      name: 'free disk for a clone',
      measured: `${gb(free)} free on ${pg.facts.disk.mount}`,
      required: `${gb(need)}${cloneNeeded ? '' : ' (only if the rewind fails)'}`,
      verdict: free >= need ? 'ok' : cloneNeeded ? 'fail' : 'warn',
      fix: free >= need ? undefined : `free ${gb(need - free)} on ${pg.facts.disk.mount} (old data directories moved aside by earlier runs can go)`,
    });
  }
  return { rows, facts: { ...base, rewind, masterBytes: master?.databaseBytes, outcome: rows.some((r) => r.verdict === 'fail') ? 'refused' : 'rejoin' } };
}

