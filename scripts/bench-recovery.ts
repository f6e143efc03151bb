/**
 * npm run bench:recovery [-- --scale N] [--writes N] (also the second part of `npm run bench`)
 *
 * The recovery round trip on a ~1 GB pgbench database (scale 68) in a demo pair of its own
 * (clusters b_rec_11/12, port 5470) inside a network namespace of its own: the master dies
 * (kill -9) with writes of its own the slave never got; promote, timed from the command's start
 * to the first committed write on the new master; a few thousand writes there; restore-master
 * by rewind, timed, with the bytes pg_rewind copied; then the same node once more by --clone.
 * Targets: the rewind copies at most 25 % of the database and takes at most 30 % of the clone's
 * time. A script, not a test: the figures depend on the machine. It removes what it made.
 * Where the rewind's time goes is printed too: PostgreSQL 15's pg_rewind copies every WAL
 * segment the source has (those before the fork are skipped only from PostgreSQL 18 on), lists
 * every file of the source over libpq and fsyncs the whole target directory.
 */
import { execa } from 'execa';
import { inOwnNetworkNamespace, numberArg, onDemo } from './bench-common.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { DemoEnv, crash, pgCtlCluster, type Node } from '../test/helpers/demo.js';

await inOwnNetworkNamespace();

const [scale, writes] = [numberArg('scale', 68), numberArg('writes', 2000)];
const env = new DemoEnv({ prefix: 'b_rec', port: 5470 });
const pgbench = (node: Node, args: string[]) => execa('runuser', ['-u', 'postgres', '--', 'pgbench', '-h', env.socketDir(node), '-p', String(env.names.port), ...args, 'postgres'], { cwd: '/' });
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;

/** The newest log ha-install wrote: what pg_rewind and pg_basebackup said of their copies. */
function newestLog(): string {
  const path = (f: string) => join(env.logs, f);
  const name = readdirSync(env.logs)
    .filter((f) => /^ha-install-\d/.test(f))
    .sort((a, b) => statSync(path(a)).mtimeMs - statSync(path(b)).mtimeMs)
    .at(-1)!;
  return readFileSync(path(name), 'utf8');
}

/** Runs promote and, at once, tries a write on the slave every 10 ms: the seconds until the first one commits. */
async function promoteUntilWritable(): Promise<{ total: number; writable: number }> {
  const started = performance.now();
  const command = env.run('slave', ['promote', '--yes']);
  let writable = NaN;
  for (;;) {
    const write = await env.psql('slave', "INSERT INTO bench_probe VALUES ('after promote')", { reject: false });
    if (write.exitCode === 0) {
      writable = performance.now() - started;
      break;
    }
    await delay(10);
  }
  const result = await command;
  if (result.exitCode !== 0) throw new Error(`promote failed:\n${result.stderr.slice(-2000)}`);
  return { total: performance.now() - started, writable };
}

/** Seconds per action of one run, from its log's timestamps ("action i/n: X" to "done: X"), longest first. */
function actionTimes(log: string): string {
  const stamps = log.split('\n').flatMap((line) => {
    const m = /^(\S+Z) info\s+(action \d+\/\d+: |done: )(.*)$/.exec(line);
    return m ? [{ at: Date.parse(m[1]!), begins: m[2]!.startsWith('action'), title: m[3]!.replace(/ \(.*\)$/, '') }] : [];
  });
  const begun = new Map<string, number>();
  const spent: Array<[string, number]> = [];
  for (const s of stamps) {
    if (s.begins) begun.set(s.title, s.at);
    else if (begun.has(s.title)) spent.push([s.title, s.at - begun.get(s.title)!]);
  }
  return spent
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([title, ms]) => `${(ms / 1000).toFixed(2)} s ${title.slice(0, 60)}`)
    .join('; ');
}

async function timedRestore(extra: string[]): Promise<{ ms: number; log: string }> {
  const started = performance.now();
  const result = await env.run('master', ['restore-master', '--master-ip', '127.0.0.12', '--yes', ...extra]);
  if (result.exitCode !== 0) throw new Error(`restore-master ${extra.join(' ')} failed:\n${result.stderr.slice(-2000)}`);
  return { ms: performance.now() - started, log: newestLog() };
}

await onDemo(env, 'the pair', async () => {
    console.error(`pgbench -i -s ${scale} on the master ...`);
    await pgbench('master', ['-i', '-q', '-s', String(scale)]);
    await env.psql('master', 'CREATE TABLE bench_probe (note text); CHECKPOINT');
    const dbBytes = Number((await env.psql('master', "SELECT pg_database_size('postgres')")).out);
    for (;;) {
      const lag = await env.psql('slave', 'SELECT count(*) FROM bench_probe', { reject: false });
      if (lag.exitCode === 0) break;
      await delay(200);
    }
    // The master writes on its own (the slave stopped), then dies.
    await pgCtlCluster(env, 'slave', 'stop');
    await pgbench('master', ['-n', '-c', '4', '-t', String(Math.ceil(writes / 8))]);
    await crash(env, 'master');
    await pgCtlCluster(env, 'slave', 'start');
    const promote = await promoteUntilWritable();
    await pgbench('slave', ['-n', '-c', '4', '-t', String(Math.ceil(writes / 4))]);
    const rewind = await timedRestore([]);
    const copy = /need to copy (\d+) MB \(total source directory size is (\d+) MB\)/.exec(rewind.log);
    const rewindBytes = Number(copy?.[1]) * 1024 ** 2;
    // The same node again, from the same primary, by a full clone.
    await pgCtlCluster(env, 'master', 'stop');
    await pgbench('slave', ['-n', '-c', '4', '-t', String(Math.ceil(writes / 4))]);
    const clone = await timedRestore(['--clone']);
    const cloned = [...clone.log.matchAll(/(\d+)\/(\d+) kB \(100%\)/g)].at(-1);
    const cloneBytes = Number(cloned?.[2]) * 1024;

    console.log(`\nPostgreSQL, pgbench scale ${scale}: database ${mb(dbBytes)}; ${writes} writes of the old master's own before it died, ${writes} on the new master after`);
    console.log(`promote: first committed write on the new master ${seconds(promote.writable)} after the command started (the command itself ${seconds(promote.total)})`);
    console.log(`restore-master by rewind: ${seconds(rewind.ms)}, pg_rewind copied ${mb(rewindBytes)} (${((rewindBytes / dbBytes) * 100).toFixed(1)} % of the database; source directory ${copy?.[2]} MB)`);
    console.log(`restore-master --clone:   ${seconds(clone.ms)}, pg_basebackup copied ${mb(cloneBytes)}`);
    console.log(`  longest actions of the rewind: ${actionTimes(rewind.log)}`);
    console.log(`  longest actions of the clone:  ${actionTimes(clone.log)}`);
    console.log(`round trip, the two commands (promote, then restore-master by rewind): ${seconds(promote.total + rewind.ms)}`);
    const [bytesOk, timeOk] = [rewindBytes <= 0.25 * dbBytes, rewind.ms <= 0.3 * clone.ms];
    console.log(`verdict: rewind bytes ${((rewindBytes / dbBytes) * 100).toFixed(1)} % of the database: ${bytesOk ? 'PASS' : 'FAIL'} (target <= 25 %); rewind time ${((rewind.ms / clone.ms) * 100).toFixed(0)} % of the clone's: ${timeOk ? 'PASS' : 'FAIL'} (target <= 30 %)`);
});
