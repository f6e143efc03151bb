/**
 * npm run bench:switchover [-- --runs N]   (part of `npm run bench`)
 *
 * Switchover and teardown on the demo pair, timed: each round runs `ha-install switchover` on
 * 127.0.0.11 while a client writes numbered rows (test/helpers/write-client.ts) and records the
 * longest gap between two acknowledged commits; 127.0.0.11 is the master in odd rounds and the
 * standby in even ones, so both ways are measured. Then `teardown` on each node, the standby
 * first (with automatic failover a primary whose standby still follows it refuses). Targets:
 * switchover under 3 s, longest pause under 2 s. It runs in a network namespace of its own
 * (the npm script's `unshare --net`), on its own cluster names and port, under the loopback
 * lock, and removes everything it made, also on a failure.
 */
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { numberArg } from './bench-common.js';
import { acquireLoopbackLock, releaseLoopbackLock } from '../test/helpers/loopback-lock.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const runs = Math.max(2, numberArg('runs', 6)); // both ways at least once
const [prefix, port] = ['b_sw', 5620];
const root = mkdtempSync(join(tmpdir(), 'ha-bench-switch-'));
const [state, logs] = [join(root, 'state'), join(root, 'logs')];
const version = (JSON.parse((await execa('pg_lsclusters', ['--json'])).stdout || '[]') as Array<{ version: number }>)[0]?.version ?? 15;

async function ha(args: string[]): Promise<{ seconds: number; stderr: string }> {
  const started = performance.now();
  const result = await execa('node', [join(repo, 'bin', 'ha-install.js'), '--state-dir', state, '--log-dir', logs, ...args], { reject: false, cwd: repo, stdin: 'ignore' });
  const seconds = (performance.now() - started) / 1000;
  if (result.exitCode !== 0) throw new Error(`ha-install ${args.join(' ')} exited with ${result.exitCode}:\n${String(result.stderr).slice(-2000)}`);
  return { seconds, stderr: String(result.stderr) };
}

const psql = (cluster: string, sql: string) => execa('runuser', ['-u', 'postgres', '--', 'psql', '-X', '-At', '-h', `/var/run/postgresql/${cluster}`, '-p', String(port), '-d', 'postgres', '-c', sql], { cwd: '/' });

function client(run: string): { child: ResultPromise; acks: string } {
  const acks = join(root, `acks-${run}`);
  const password = readFileSync(join(state, 'demo', 'backup-password'), 'utf8').trim();
  const child = execa('node', ['--import', 'tsx', join(repo, 'test', 'helpers', 'write-client.ts')], {
    cwd: repo,
    reject: false,
    env: { RUN: run, HOSTS: '127.0.0.11,127.0.0.12', PORT: String(port), PGUSER: 'replicator', PGPASSWORD: password, ACK_FILE: acks },
  });
  return { child, acks };
}

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0);
async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
const s = (x: number) => `${x.toFixed(2)} s`;

const results: Record<'master' | 'standby', Array<{ wall: number; pause: number }>> = { master: [], standby: [] };
let up = false;
try {
  if (!existsSync(join(repo, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` first.');
  await acquireLoopbackLock({ timeoutMs: 15 * 60_000, log: (line) => console.error(line) });
  console.error(`bringing up the demo pair ${prefix}_11/${prefix}_12 on port ${port} ...`);
  up = true;
  await ha(['demo', '--port', String(port), '--cluster-prefix', prefix]);
  await psql(`${prefix}_11`, 'CREATE TABLE sw_rows (run text, n bigint, at timestamptz DEFAULT clock_timestamp(), PRIMARY KEY (run, n)); GRANT SELECT, INSERT ON sw_rows TO replicator');
  for (let round = 1; round <= runs; round++) {
    const side = round % 2 === 1 ? 'master' : 'standby';
    const writer = client(`r${round}`);
    await until(() => lines(writer.acks) >= 50);
    const { seconds } = await ha(['demo', 'run', '127.0.0.11', 'switchover', '--yes']);
    const after = lines(writer.acks);
    await until(() => lines(writer.acks) > after + 50);
    writer.child.kill('SIGTERM');
    const summary = JSON.parse(String((await writer.child).stdout).trim()) as { acked: number; maxPauseMs: number };
    results[side].push({ wall: seconds, pause: summary.maxPauseMs / 1000 });
    console.error(`round ${round} (run on the ${side}): switchover ${s(seconds)}, longest write pause ${s(summary.maxPauseMs / 1000)}, ${summary.acked} rows acknowledged`);
  }
  // With automatic failover (the demo's default) the standby is torn down first: a primary
  // whose standby still follows it refuses, or the standby's monitor would fail over.
  const inRecovery = async (node: '11' | '12') => String((await psql(`${prefix}_${node}`, 'SELECT pg_is_in_recovery()')).stdout).trim() === 't';
  const [standbyNode, primaryNode] = (await inRecovery('11')) ? ['11', '12'] : ['12', '11'];
  const standbySeconds = (await ha(['demo', 'run', `127.0.0.${standbyNode}`, 'teardown', '--yes'])).seconds;
  const teardown = { standby: standbySeconds, primary: (await ha(['demo', 'run', `127.0.0.${primaryNode}`, 'teardown', '--yes'])).seconds };
  console.log(`\nPostgreSQL ${version}, demo pair on loopback, ${runs} switchovers under a client writing numbered rows\n`);
  console.log(`${''.padEnd(40)}${'median'.padStart(9)}${'max'.padStart(9)}   runs`);
  for (const side of ['master', 'standby'] as const) {
    const walls = results[side].map((r) => r.wall);
    const pauses = results[side].map((r) => r.pause);
    console.log(`${`switchover run on the ${side}`.padEnd(40)}${s(median(walls)).padStart(9)}${s(Math.max(...walls)).padStart(9)}   ${walls.map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`${'  longest write pause'.padEnd(40)}${s(median(pauses)).padStart(9)}${s(Math.max(...pauses)).padStart(9)}   ${pauses.map((x) => x.toFixed(2)).join(' ')}`);
  }
  console.log(`${'teardown on the primary'.padEnd(40)}${s(teardown.primary).padStart(9)}`);
  console.log(`${'teardown on the standby (data aside)'.padEnd(40)}${s(teardown.standby).padStart(9)}`);
  const all = [...results.master, ...results.standby];
  const [worstWall, worstPause] = [Math.max(...all.map((r) => r.wall)), Math.max(...all.map((r) => r.pause))];
  console.log(`\nverdict: switchover ${worstWall < 3 ? 'PASS' : 'FAIL'} (slowest ${s(worstWall)}, target < 3 s); longest pause ${worstPause < 2 ? 'PASS' : 'FAIL'} (${s(worstPause)}, target < 2 s)`);
} catch (error) {
  process.exitCode = 1;
  console.error(`\nbench failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  if (up) await ha(['demo', '--down']).catch((error: unknown) => console.error(`cleanup: demo --down failed: ${String(error)}`));
  if (process.exitCode !== 1) rmSync(root, { recursive: true, force: true });
  else console.error(`logs kept: ${logs}`);
  releaseLoopbackLock();
}
