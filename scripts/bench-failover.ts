/**
 * npm run bench:failover [-- --runs N]   (part of `npm run bench`)
 *
 * Automatic failover, timed on real PostgreSQL: a demo pair with the monitors and the witness
 * (test/helpers/drill.ts: every process inside a network namespace of its own, 127.0.0.10-13
 * there), a client writing numbered rows through HAProxy on 127.0.0.10, then kill -9 of the
 * primary's postmaster. Measured per run: kill -> the standby promoted (its timeline history
 * file), kill -> the first write acknowledged through the balancer, the acknowledged rows the
 * new primary lacks and the WAL bytes only the old primary had (restore-master --dry-run); then restore-master on the old primary (timed) and the next run starts
 * from the swapped pair. Once with asynchronous replication, once with synchronous.
 *
 * Targets: the first write through the balancer under 5 s after the kill (median and worst;
 * repmgr and pg_auto_failover take about 50 s with their defaults on this machine), and with
 * synchronous replication no acknowledged row lost. The default timings (look every 300 ms,
 * 250 ms per look, fence after 0.8 s, failover after 2.5 s) are what is measured.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { numberArg } from './bench-common.js';
import { eventually, postmasterPid } from '../test/helpers/demo.js';
import { Drill, other } from '../test/helpers/drill.js';
import { acquireLoopbackLock, releaseLoopbackLock } from '../test/helpers/loopback-lock.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const runs = numberArg('runs', 4);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const TARGET_MS = 5000;

interface Run {
  promoteMs: number;
  writeMs: number;
  lost: number;
  /** WAL bytes the old primary held past the fork. */
  bytes: number;
  acked: number;
  restoreMs: number;
}

async function measure(mode: 'asynchronous' | 'synchronous'): Promise<Run[]> {
  const drill = new Drill(mode === 'asynchronous' ? { prefix: 'b_fo', port: 5650 } : { prefix: 'b_fs', port: 5651, synchronous: true });
  const results: Run[] = [];
  try {
    await drill.up();
    for (let i = 1; i <= runs; i++) {
      const primary = await drill.primary();
      const standby = other(primary);
      const name = `${mode}-${i}`;
      drill.startWriter(name);
      if (!(await drill.writing(name, 50))) throw new Error(`run ${i}: the writer does not get through the balancer`);
      const killedAt = Date.now();
      process.kill(postmasterPid(drill.env.dataDir(primary)), 'SIGKILL');
      if (!(await eventually(async () => (await drill.role(standby)) === 'primary', 60_000))) throw new Error(`run ${i}: the standby was not promoted within 60 s`);
      if (!(await eventually(async () => drill.acks(name).some(([, at]) => at > (drill.promotedAt(standby) ?? Infinity)), 60_000))) throw new Error(`run ${i}: no write got through within 60 s`);
      await drill.writing(name, 20);
      const { acked } = await drill.stopWriter(name);
      // Acknowledgements of the dying primary may arrive in the milliseconds after the kill: the
      // new primary's come after its promote.
      const promotedAt = drill.promotedAt(standby) ?? killedAt;
      const first = acked.find(([, at]) => at >= promotedAt)!;
      const lost = await drill.missing(standby, acked);
      // What the old primary wrote that the standby never got, in WAL bytes, as restore-master --dry-run says.
      const bytes = await drill.discardedBytes(primary);
      const started = performance.now();
      const back = await drill.restore(primary);
      if (back.exitCode !== 0 || !back.streaming) throw new Error(`run ${i}: restore-master failed (${back.exitCode}):\n${back.stderr.slice(-2000)}`);
      const run = { promoteMs: promotedAt - killedAt, writeMs: first[1] - killedAt, lost: lost.length, bytes, acked: acked.length, restoreMs: performance.now() - started };
      results.push(run);
      process.stdout.write(`  ${mode} run ${i}: kill -9 -> promoted ${s(run.promoteMs)}, -> first write through the balancer ${s(run.writeMs)}; ${run.lost} of ${run.acked} acknowledged rows lost (${run.bytes} bytes of WAL only the old primary had); restore-master ${s(run.restoreMs)}\n`);
    }
  } finally {
    await drill.down();
  }
  return results;
}

await acquireLoopbackLock({ log: (line) => process.stderr.write(`${line}\n`) });
let exitCode = 0;
try {
  if (!existsSync(join(repo, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` first.');
  process.stdout.write(`Automatic failover: kill -9 of the primary under a writing client, ${runs} runs each way (default timings)\n`);
  const lines: string[] = [];
  for (const mode of ['asynchronous', 'synchronous'] as const) {
    const results = await measure(mode);
    const writes = results.map((r) => r.writeMs);
    const [med, worst] = [median(writes), Math.max(...writes)];
    const lost = results.reduce((sum, r) => sum + r.lost, 0);
    const bytes = results.reduce((sum, r) => sum + r.bytes, 0);
    const fast = worst < TARGET_MS;
    if (!fast) exitCode = 1;
    lines.push(`${mode}: kill -> promoted median ${s(median(results.map((r) => r.promoteMs)))}; kill -> first write median ${s(med)}, worst ${s(worst)} (target < 5 s, repmgr / pg_auto_failover about 50 s): ${fast ? 'PASS' : 'FAIL'}`);
    if (mode === 'synchronous') {
      if (lost > 0) exitCode = 1;
      lines.push(`synchronous: ${lost} acknowledged rows lost over ${runs} failovers (target 0), ${bytes} bytes of WAL only the old primary had (unacknowledged): ${lost === 0 ? 'PASS' : 'FAIL'}`);
    } else {
      lines.push(`asynchronous: ${lost} acknowledged rows lost over ${runs} failovers, ${bytes} bytes of WAL only the old primary had (the commits of the last moments before the kill that had not reached the standby: the price of asynchronous replication)`);
    }
    lines.push(`${mode}: restore-master of the old primary median ${s(median(results.map((r) => r.restoreMs)))}`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
} catch (error) {
  exitCode = 1;
  process.stderr.write(`bench:failover failed: ${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  releaseLoopbackLock();
}
process.exitCode = exitCode;
