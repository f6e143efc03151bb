import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Action, CommandAction, FileAction, SqlAction, StepAction } from '../../src/engine/actions.js';
import { binDir, serviceAction, type Cluster } from './cluster.js';
import { cloneActions, stopProcesses, swapActions } from './clone.js';
import { clusterRef, confAction, nodes, pgpassPath, versionOf, type PostgresqlContext } from './context.js';
import { recordEventSql } from './events.js';
import { liftRuntimeFenceActions } from './fence.js';
import { guardActions } from './guard-plan.js';
import { conninfoString } from './file-formats.js';
import { slotSql } from './master.js';
import { verifyStreaming } from './slave.js';
import { standbySignalAction } from './standby-settings.js';
import { localTarget } from './sql.js';
import { synchronousAction } from './synchronous.js';
import type { RestoreFacts } from './restore-preflight.js';

/**
 * restore-master: the old master comes back as the standby of the new one. Stop it cleanly,
 * rewind it onto the new master's timeline with pg_rewind (or, when that is impossible or
 * fails, clone it afresh: the old data directory is moved aside, never deleted), write the
 * standby settings ourselves (pg_rewind copied the source's postgresql.auto.conf), start it as
 * a hot standby and prove it with a marker row. The new master needs nothing of its own: its
 * pg_hba, .pgpass and conf.d have allowed this since the install; the slot is made if missing.
 */

export interface RestorePlanInput {
  pg: PostgresqlContext;
  cluster: Cluster;
  facts: RestoreFacts;
  rewindMarker: string;
  synchronous: boolean;
}

const peerTarget = (pg: PostgresqlContext) => ({ on: 'peer' as const, host: pg.answers.masterIp, port: pg.answers.pgPort, user: pg.answers.replicationUser, database: 'postgres' });

/** pg_rewind --progress: `12345/67890 kB (18%) copied`; and its verdicts, shown as they come. */
export function rewindProgress(chunk: string): { percent?: number; detail?: string } | undefined {
  const copied = [...chunk.matchAll(/(\d+)\/(\d+) kB \((\d+)%\) copied/g)].at(-1);
  if (copied) return { percent: Number(copied[3]), detail: `${Math.round(Number(copied[1]) / 1024)} of ${Math.round(Number(copied[2]) / 1024)} MB copied` };
  const said = chunk.match(/servers diverged at WAL location \S+ on timeline \d+|no rewind required|need to copy \d+ MB[^\n]*|executing "[^"]*" for target server to complete crash recovery/);
  return said ? { detail: said[0] } : undefined;
}

export function rewindCommand(pg: PostgresqlContext, cluster: Cluster): CommandAction {
  const a = pg.answers;
  // The password comes from the passfile named in the connection string, never argv.
  const source = conninfoString([
    ['host', a.masterIp],
    ['port', a.pgPort],
    ['user', a.replicationUser],
    ['passfile', pgpassPath(pg)],
    ['dbname', 'postgres'],
  ]);
  return {
    kind: 'command',
    id: 'postgresql.rewind',
    title: `Rewind this node onto ${a.masterIp}'s timeline with pg_rewind`,
    argv: [
      `${binDir(cluster.version)}/pg_rewind`,
      `--target-pgdata=${cluster.dataDir}`,
      `--source-server=${source}`,
      // Debian keeps postgresql.conf in /etc: pg_rewind's crash recovery (single-user mode) needs it.
      `--config-file=${cluster.confDir}/postgresql.conf`,
      '--progress',
    ],
    user: 'postgres',
    progress: rewindProgress,
  };
}

/** pg_rewind's crash recovery runs a single-user server, which refuses standby mode: standby.signal goes first (backed up). */
function withoutStandbySignal(cluster: Cluster): StepAction {
  const path = `${cluster.dataDir}/standby.signal`;
  return {
    kind: 'step',
    id: 'postgresql.standby-signal-aside',
    title: 'Take standby.signal away for the rewind (it is written again after)',
    detail: [`back up and remove ${path}: pg_rewind's crash recovery refuses a standby`],
    run: async ({ backup }) => {
      if (!existsSync(path)) return 'none there';
      await backup(path);
      rmSync(path);
      return 'removed (backed up)';
    },
  };
}

function markerActions(marker: string): { begin: FileAction; end: StepAction } {
  return {
    begin: { kind: 'file', id: 'ha-install.rewind-marker', title: `Note that a rewind begins (${marker})`, path: marker, content: 'a pg_rewind began here; if this file outlives the run, the next restore-master clones instead\n', mode: 0o600 },
    end: {
      kind: 'step',
      id: 'ha-install.rewind-marker-done',
      title: 'The rejoin is proven: the rewind note goes',
      detail: [`remove ${marker}`],
      run: async () => {
        rmSync(marker, { force: true });
      },
    },
  };
}

/**
 * pg_rewind copies the source's postgresql.auto.conf: whatever standby settings an older
 * ha-install (pg_basebackup -R) put there would point this node at itself. Ours are in conf.d.
 */
function autoConfCleanup(cluster: Cluster): StepAction {
  const path = `${cluster.dataDir}/postgresql.auto.conf`;
  const ours = /^\s*(primary_conninfo|primary_slot_name)\s*=/;
  return {
    kind: 'step',
    id: 'postgresql.auto-conf',
    title: 'Keep standby settings out of postgresql.auto.conf (they are in the conf.d file)',
    detail: [`remove primary_conninfo and primary_slot_name lines from ${path}, if any`],
    run: async ({ backup }) => {
      if (!existsSync(path)) return 'no file';
      const before = readFileSync(path, 'utf8');
      const after = before.split('\n').filter((line) => !ours.test(line)).join('\n');
      if (after === before) return 'nothing to remove';
      await backup(path);
      await writeFile(path, after);
      return 'removed';
    },
  };
}

/** A pg_rewind an interrupted run left running would go on writing into the directory the clone moves aside. */
function stopRewindStep(cluster: Cluster): StepAction {
  return {
    kind: 'step',
    id: 'postgresql.stop-leftover-rewind',
    title: 'Stop a pg_rewind an interrupted run may have left running',
    detail: [`any pg_rewind with --target-pgdata=${cluster.dataDir}`],
    run: async ({ log }) => stopProcesses((argv) => argv[0]?.endsWith('/pg_rewind') === true && argv.includes(`--target-pgdata=${cluster.dataDir}`), 'pg_rewind', log),
  };
}

export async function restoreActions(input: RestorePlanInput): Promise<Action[]> {
  const { pg, cluster, facts } = input;
  const a = pg.answers;
  const ref = clusterRef(pg);
  const record: SqlAction = {
    kind: 'sql',
    id: 'postgresql.record-restore',
    title: `Record the rejoin in the pair's history on ${a.masterIp}`,
    target: peerTarget(pg),
    sql: recordEventSql(nodes(a).self, 'restored', `standby of ${a.masterIp}, ha-install ${versionOf(pg)}`, { once: false }),
  };
  const lift = liftRuntimeFenceActions(ref);
  if (facts.outcome === 'nothing to do') return lift;
  // A fenced old master that never diverged streams already: only the fence mark goes.
  if (facts.outcome === 'clear the fence') return [standbySignalAction(cluster), ...lift, record];
  const stopped = { ...cluster, running: false };
  const marker = markerActions(input.rewindMarker);
  const clone: Action[] = [...cloneActions(pg, stopped), ...swapActions(pg, stopped)];
  const slot: SqlAction = {
    kind: 'sql',
    id: 'postgresql.slot-on-new-master',
    title: `Make sure the new master has the slot ${a.slotName} (reserving WAL)`,
    target: peerTarget(pg),
    sql: slotSql(a.slotName, true),
    note: (rows) => (rows.length > 0 ? 'created' : 'already there'),
  };
  const dropStaleSlot: SqlAction = {
    kind: 'sql',
    id: 'postgresql.drop-stale-slot',
    title: `Drop the slot ${a.slotName} this node kept from its time as primary, if any`,
    target: localTarget(ref),
    sql: `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${a.slotName}' AND NOT active`,
    note: (rows) => (rows.length > 0 ? 'dropped' : 'none here'),
  };
  const verify: StepAction = {
    kind: 'step',
    id: 'postgresql.verify-streaming',
    title: `Verify: a marker row written on ${a.masterIp} arrives here`,
    detail: [`insert a row into ha_install.events on ${a.masterIp}`, 'wait until it is here and pg_stat_wal_receiver.status = streaming'],
    run: ({ log }) => verifyStreaming(pg, ref, log),
  };
  return [
    ...(cluster.running ? [serviceAction(ref, 'stop', pg.facts.init, `Stop PostgreSQL ${ref.version}/${ref.name} cleanly`)] : []),
    slot,
    ...(input.facts.rewind.possible
      ? [{
          kind: 'either',
          id: 'postgresql.rewind-or-clone',
          title: `Rewind onto ${a.masterIp} (pg_rewind), else clone it afresh`,
          first: [withoutStandbySignal(cluster), marker.begin, rewindCommand(pg, cluster)],
          otherwise: clone,
          why: 'the rewind failed: cloning the new master instead (disk checked; the old data directory is moved aside, never deleted)',
        } as Action]
      : ([...(existsSync(input.rewindMarker) ? [stopRewindStep(cluster)] : []), ...clone] as Action[])),
    autoConfCleanup(cluster),
    standbySignalAction(cluster),
    confAction(pg),
    ...(await guardActions(pg, cluster)),
    serviceAction(ref, 'start', pg.facts.init, `Start PostgreSQL ${ref.version}/${ref.name} as a hot standby of ${a.masterIp}`),
    dropStaleSlot,
    verify,
    ...lift,
    ...(input.synchronous && ref.version >= 15 ? [synchronousAction(peerTarget(pg), true, a.slotName, 'postgresql.synchronous-on-new-master')] : []),
    record,
    marker.end,
  ];
}
