import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { Action, CommandAction, StepAction } from '../../src/engine/actions.js';
import { ApplyError } from '../../src/system/errors.js';
import type { Logger } from '../../src/system/log.js';
import { livePids } from '../../src/system/processes.js';
import { binDir, serviceAction, type Cluster } from './cluster.js';
import { standbySignalAction } from './standby-settings.js';
import { pgpassPath, type PostgresqlContext } from './context.js';

/**
 * The clone: pg_basebackup into `<dataDir>.partial` while the old cluster still runs (a failed
 * clone leaves it running as it was), then stop, move the old data aside (never deleted),
 * rename the clone into place. A clone killed half-way leaves only the `.partial` directory, which the next run
 * removes before cloning again.
 */

export const partialDir = (cluster: Pick<Cluster, 'dataDir'>): string => `${cluster.dataDir}.partial`;

/**
 * pg_basebackup argv: the password comes from PGPASSFILE, never argv; --no-password so it never
 * prompts. No --write-recovery-conf: the standby settings live in the conf.d file (the same on
 * both nodes) and standby.signal is ours, so postgresql.auto.conf, which clones and rewinds copy
 * from node to node, never carries a primary_conninfo pointing a node at itself.
 */
export function basebackupArgv(ctx: PostgresqlContext, cluster: Cluster): string[] {
  const a = ctx.answers;
  return [
    `${binDir(cluster.version)}/pg_basebackup`,
    '--host',
    a.masterIp,
    '--port',
    String(a.pgPort),
    '--username',
    a.replicationUser,
    '--pgdata',
    partialDir(cluster),
    '--wal-method=stream',
    '--slot',
    a.slotName,
    // An immediate checkpoint: the default spread one makes the admin wait minutes for nothing.
    '--checkpoint=fast',
    '--progress',
    '--no-password',
  ];
}

/** pg_basebackup --progress: `12345/67890 kB (18%), 0/1 tablespace`. */
export function basebackupProgress(chunk: string): { percent: number; detail: string } | undefined {
  const last = [...chunk.matchAll(/(\d+)\/(\d+) kB \((\d+)%\)/g)].at(-1);
  return last ? { percent: Number(last[3]), detail: `${Math.round(Number(last[1]) / 1024)} of ${Math.round(Number(last[2]) / 1024)} MB` } : undefined;
}

export function cloneCommand(ctx: PostgresqlContext, cluster: Cluster): CommandAction {
  return {
    kind: 'command',
    id: 'postgresql.clone',
    title: `Clone the master ${ctx.answers.masterIp} with pg_basebackup`,
    argv: basebackupArgv(ctx, cluster),
    user: 'postgres',
    env: { PGPASSFILE: pgpassPath(ctx) },
    progress: basebackupProgress,
  };
}

/**
 * Stops processes an interrupted run left behind. A run killed by a signal (SIGTERM, or kill -9
 * of ha-install alone) can leave pg_basebackup's WAL streamer child running: it holds the slot
 * (the next clone would fail with "replication slot is active") and keeps writing into the
 * clone; a pg_rewind would go on writing into the data directory.
 */
export async function stopProcesses(match: (argv: string[]) => boolean, what: string, log: Logger): Promise<string | undefined> {
  let pids = livePids(match);
  if (pids.length === 0) return undefined;
  log.warn(`stopping ${what} left running by an interrupted run (pid ${pids.join(', ')})`);
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
    for (let i = 0; i < 50 && pids.length > 0; i++) {
      await delay(100);
      pids = livePids(match);
    }
    if (pids.length === 0) return `stopped ${what}`;
  }
  throw new ApplyError(`${what} (pid ${pids.join(', ')}) left by an interrupted run does not stop.`);
}

/** Live pg_basebackup processes writing into `dir`. */
const clonesInto = (dir: string) => (argv: string[]) => argv[0]?.endsWith('/pg_basebackup') === true && argv[argv.indexOf('--pgdata') + 1] === dir;

function removePartialStep(cluster: Cluster): StepAction {
  const partial = partialDir(cluster);
  return {
    kind: 'step',
    id: 'postgresql.remove-partial',
    title: `Remove the unfinished clone ${partial}`,
    detail: [`${partial} is what an interrupted clone left behind; it holds no data of this server`],
    run: async ({ log }) => {
      await stopProcesses(clonesInto(partial), 'pg_basebackup', log);
      log.info(`removing the unfinished clone ${partial}`);
      await rm(partial, { recursive: true, force: true });
    },
  };
}

function putInPlaceStep(cluster: Cluster): StepAction {
  const partial = partialDir(cluster);
  return {
    kind: 'step',
    id: 'postgresql.clone-in-place',
    title: `Put the clone in place as ${cluster.dataDir}`,
    detail: [`rename ${partial} to ${cluster.dataDir}`],
    run: async () => {
      if (existsSync(cluster.dataDir)) throw new ApplyError(`${cluster.dataDir} still exists: the old data directory was not moved aside.`);
      await rename(partial, cluster.dataDir);
    },
  };
}

/** The clone into `.partial`, given the local cluster as the plan found it; the old cluster keeps running. */
export function cloneActions(ctx: PostgresqlContext, cluster: Cluster): Action[] {
  // Only when present: a different plan then, so an interrupted run starts afresh with it.
  return [...(existsSync(partialDir(cluster)) ? [removePartialStep(cluster)] : []), cloneCommand(ctx, cluster)];
}

/** After a good clone: stop the old cluster, move its data aside, put the clone in its place, mark it a standby. */
export function swapActions(ctx: PostgresqlContext, cluster: Cluster): Action[] {
  return [
    ...(cluster.running ? [serviceAction(cluster, 'stop', ctx.facts.init, `Stop PostgreSQL ${cluster.version}/${cluster.name}`)] : []),
    { kind: 'move-aside', id: 'postgresql.move-aside', title: `Move the old data directory ${cluster.dataDir} aside`, path: cluster.dataDir },
    putInPlaceStep(cluster),
    standbySignalAction(cluster),
  ];
}
