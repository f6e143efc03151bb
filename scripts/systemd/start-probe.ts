/**
 * Runs inside the container (bundled by bench-start.ts): times starting a stopped standby
 * `rounds` times in one way, and prints one JSON line per round.
 *   unit      ha-install's systemd path: `systemctl start postgresql@...` (pg_ctlcluster's settle loop)
 *   direct    ha-install's no-systemd path: pg_ctl as pg_ctlcluster would, minus the settle loop
 *   no-block  `systemctl start --no-block`, then postmaster.pid's own readiness
 * returned: the start call returned; ready: postmaster.pid said standby/ready; active: systemd said active.
 */
import { execa } from 'execa';
import { setTimeout as delay } from 'node:timers/promises';
import { describeCluster, readPostmasterPid } from '../../installers/postgresql/cluster.js';
import { startCluster } from '../../installers/postgresql/start.js';
import { Logger } from '../../src/system/log.js';

const [mode, name, roundsArg] = process.argv.slice(2) as ['unit' | 'direct' | 'no-block', string, string];
const ref = { version: 15, name };
const unit = `postgresql@15-${name}`;
const log = new Logger(undefined);

/** Stops the standby and proves it stopped; resets systemd's start limit (5 starts in 10 s), which fast rounds reach. */
async function stop(dataDir: string): Promise<void> {
  if (mode === 'direct') await execa('pg_ctlcluster', ['--skip-systemctl-redirect', '15', name, 'stop']);
  else await execa('systemctl', ['stop', unit]);
  await execa('systemctl', ['reset-failed', unit], { reject: false });
  if (readPostmasterPid(dataDir)) throw new Error(`${name} still has a postmaster.pid after the stop`);
}

/** Resolves with the ms (from t0) when `check` first holds, polling every `everyMs`. */
async function when(t0: number, check: () => Promise<boolean> | boolean, everyMs: number): Promise<number> {
  while (!(await check())) await delay(everyMs);
  return performance.now() - t0;
}

const ready = (dataDir: string) => ['standby', 'ready'].includes(readPostmasterPid(dataDir)?.status ?? '');
const active = async () => (await execa('systemctl', ['is-active', unit], { reject: false })).stdout.trim() === 'active';

for (let round = 1; round <= Number(roundsArg); round++) {
  await stop((await describeCluster(ref, log)).dataDir);
  await delay(300);
  const cluster = await describeCluster(ref, log);
  if (cluster.running) throw new Error(`${name} is running after the stop`);
  const t0 = performance.now();
  const readyAt = when(t0, () => ready(cluster.dataDir), 5);
  let returned: number;
  if (mode === 'no-block') {
    await execa('systemctl', ['start', '--no-block', unit]);
    returned = await readyAt;
  } else {
    await startCluster(cluster, mode === 'unit' ? 'systemd' : 'none', log);
    returned = performance.now() - t0;
  }
  const result = { mode, round, returned: Math.round(returned), ready: Math.round(await readyAt), active: mode === 'direct' ? null : Math.round(await when(t0, active, 20)) };
  process.stdout.write(JSON.stringify(result) + '\n');
}
if (mode === 'direct') {
  await stop((await describeCluster(ref, log)).dataDir); // hand the cluster back to its unit
  await execa('systemctl', ['start', unit]);
}
