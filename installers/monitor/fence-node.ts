import { chownSync, existsSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../../src/system/log.js';
import { userIds } from '../../src/system/users.js';
import { describeCluster, postmasterAlive, readPostmasterPid } from '../postgresql/cluster.js';
import { writeRuntimeFence } from '../postgresql/fence.js';
import { startCluster } from '../postgresql/start.js';
import { fenceMark } from '../postgresql/standby-signal.js';
import type { MonitorConfig } from './config.js';

/**
 * A master that cannot see its standby nor the witness fences itself, before its standby may
 * be promoted (settings.ts orders the timings). Three things, in this order:
 *  1. the runtime fence (installers/postgresql/fence.ts): the agent answers 503 on /primary at
 *     once, so HAProxy takes it out (`on-marked-down shutdown-sessions` ends its sessions);
 *  2. PostgreSQL stops taking writes: an immediate shutdown (SIGQUIT to the postmaster). No
 *     commit is acknowledged after it; what was written to WAL and not yet acknowledged is the
 *     client's to retry. Not default_transaction_read_only (any session can turn it off), not
 *     a synchronous_standby_names that never answers (reads go on, stale; SET synchronous_commit
 *     = local gets around it);
 *  3. up again as a read-only standby with the start guard's fence mark in standby.signal, so
 *     it stays out when the partition heals, until restore-master brings it back.
 */
/** A signal that may find the process gone already (it died on its own meanwhile): the fence goes on regardless. */
function sendSignal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

export async function fenceNode(config: MonitorConfig, why: string, log: Logger, say: (line: string) => void): Promise<void> {
  const ref = { version: config.version, name: config.name };
  writeRuntimeFence(ref, { reason: why, by: 'monitor' });
  say(`FENCED: ${why}; the agent answers 503 on /primary from now`);
  const pid = readPostmasterPid(config.dataDir)?.pid;
  if (pid !== undefined && postmasterAlive(config.dataDir)) {
    sendSignal(pid, 'SIGQUIT');
    for (let i = 0; i < 100 && postmasterAlive(config.dataDir); i++) await delay(20);
    // Still there after 2 s: the whole process group (pg_ctl made the postmaster its leader),
    // so no backend lives on to finish a commit without it.
    if (postmasterAlive(config.dataDir)) sendSignal(-pid, 'SIGKILL') || sendSignal(pid, 'SIGKILL');
    say(`PostgreSQL ${config.cluster} stopped at once (immediate shutdown): it takes no write`);
  }
  const signal = `${config.dataDir}/standby.signal`;
  if (existsSync(config.dataDir)) {
    writeFileSync(signal, fenceMark(`fenced by the failover monitor: ${why}`, config.restore), { mode: 0o600 });
    const { uid, gid } = userIds('postgres');
    chownSync(signal, uid, gid);
  }
  try {
    await startCluster(await describeCluster(ref, log), config.init, log);
    say(`PostgreSQL ${config.cluster} is up again as a read-only standby, fenced until restore-master`);
  } catch (error) {
    say(`PostgreSQL ${config.cluster} stays stopped (its start as a fenced standby failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
}
