/**
 * npm run bench [-- --scale N] [--runs N] [--keep] [--state-dir DIR] [--log-dir DIR]
 *
 * How much time ha-install's slave flow adds to the clone it wraps: a ~1 GB pgbench database
 * (scale 68) on the demo master is cloned N times each (default 6, a multiple of 3: each way
 * takes each place in the order equally often) by (a) the whole slave install, (b) a bare
 * pg_basebackup with the very flags ha-install passes, (c) `cp -a` of the master's data
 * directory (a live copy: a speed reference only). Target: (a) under 1.2 × (b).
 * A script, not a test: the figures depend on the machine. It leaves the machine as it found it:
 * a demo it brought up goes down, a demo already up in --state-dir (e.g. after --keep) stays up,
 * streaming; copies, moved-aside directories, the database and temp dirs go, even on Ctrl-C.
 * --keep leaves the pair and the database up: the e2e tests then find 127.0.0.11/12 taken.
 */
import { execa, type ResultPromise } from 'execa';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { basebackupArgv } from '../installers/postgresql/clone.js';
import { binDir, type Cluster } from '../installers/postgresql/cluster.js';
import type { PostgresqlContext } from '../installers/postgresql/context.js';
import { demoDefaults, demoSocketDir } from '../installers/postgresql/demo.js';
import { userIds } from '../src/system/users.js';
import { postgresqlVersions } from '../src/system/facts.js';
import { acquireLoopbackLock, releaseLoopbackLock } from '../test/helpers/loopback-lock.js';

const arg = (name: string) => process.argv.indexOf(`--${name}`);
const num = (name: string, fallback: number) => (arg(name) < 0 ? fallback : Math.max(1, Math.floor(Number(process.argv[arg(name) + 1])) || fallback));
const scale = num('scale', 68); // pgbench: ~15 MB per scale unit, so 68 gives ~1 GB
const runs = num('runs', 6);
const keep = arg('keep') >= 0;
const tmpBase = join(tmpdir(), 'ha-install-bench');
const dir = (name: string) => (arg(name) >= 0 ? process.argv[arg(name) + 1]! : join(tmpBase, name.replace('-dir', '')));
const [state, logs] = [dir('state-dir'), dir('log-dir')];
const existed = { state: existsSync(state), logs: existsSync(logs) };
const repo = fileURLToPath(new URL('..', import.meta.url));
const demoDir = join(state, 'demo');
const db = 'ha_bench';

const version = postgresqlVersions().at(-1);
if (version === undefined) throw new Error('No PostgreSQL server is installed.');
const demo = demoDefaults(version);
const masterSocket = demoSocketDir(demo.master.cluster);
const masterData = `/var/lib/postgresql/${version}/${demo.master.cluster}`;
const slaveData = `/var/lib/postgresql/${version}/${demo.slave.cluster}`;
const copies = join(dirname(masterData), `ha-bench-${process.pid}`); // same filesystem as ha-install's clone

// Children get their own process group, so a Ctrl-C reaches only this script: it stops the
// running child itself, and no terminal signal can kill the cleanup half-way.
let current: ResultPromise | undefined;
let stopping: string | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = signal;
    process.stderr.write(`\n${signal}: stopping, then cleaning up (wait for it)...\n`);
    if (current?.pid) process.kill(-current.pid, 'SIGINT');
  });
}

async function sh(argv: string[], options: { user?: string; cleanup?: boolean } = {}): Promise<string> {
  if (stopping && !options.cleanup) throw new Error(`interrupted by ${stopping}`);
  const full = options.user ? ['runuser', '-u', options.user, '--', ...argv] : argv;
  current = execa(full[0]!, full.slice(1), { detached: true, reject: false, stdin: 'ignore', cwd: repo });
  const result = await current;
  current = undefined;
  const tail = String(result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
  if (result.exitCode !== 0) throw new Error(`\`${full.join(' ')}\` exited with ${result.exitCode ?? result.signal}:\n${tail}`);
  return String(result.stdout).trim();
}

const psql = (sql: string, cleanup = false) =>
  sh([`${binDir(version)}/psql`, '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', masterSocket, '-p', String(demo.port), '-d', 'postgres', '-c', sql], { user: 'postgres', cleanup });
const ha = (stateDir: string, args: string[], cleanup = false) => sh(['node', join(repo, 'bin', 'ha-install.js'), '--state-dir', stateDir, '--log-dir', logs, ...args], { cleanup });
// The slave install exactly as `demo` runs it: its answers file, its own state dir.
const slaveInstall = (cleanup = false) => ha(join(demoDir, 'slave'), ['--answers', join(demoDir, 'slave.yaml'), '--yes'], cleanup);
const movedAside = () => readdirSync(dirname(slaveData)).filter((e) => e.startsWith(`${basename(slaveData)}.ha-install-`));
let asideBefore = new Set<string>(); // moved-aside directories that are not ours to remove
const removeOurMovedAside = () => movedAside().forEach((e) => asideBefore.has(e) || rmSync(join(dirname(slaveData), e), { recursive: true, force: true }));

/** Milliseconds the machine's whole disks (not loop, ram or zram devices) have spent doing I/O since boot. */
function ioTicks(): number {
  const disks = new Set(readdirSync('/sys/block').filter((d) => !/^(loop|ram|zram)/.test(d)));
  return readFileSync('/proc/diskstats', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => disks.has(f[2]!))
    .reduce((sum, f) => sum + Number(f[12]), 0);
}

/**
 * Waits until the disks have been idle for half a second (at most 20 s). The previous run's
 * deletions are still being written, and on ext4 mounted with `discard` the freed blocks are
 * trimmed after the fact: without this, whichever run follows a big delete pays for it.
 */
async function quiet(): Promise<void> {
  const deadline = Date.now() + 20_000;
  let [last, idleMs] = [ioTicks(), 0];
  while (idleMs < 500 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = ioTicks();
    idleMs = now === last ? idleMs + 100 : 0;
    last = now;
  }
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  await sh(['sync']); // dirty pages of the previous run are written outside the timed region
  await quiet();
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

/** The slave as the demo's first slave install finds it: a fresh, stopped, empty cluster. */
async function resetSlave(): Promise<void> {
  await sh(['pg_dropcluster', '--stop', String(version), demo.slave.cluster]);
  // pg_dropcluster keeps files it did not create (ha-install's conf.d file): a fresh cluster has none.
  rmSync(`/etc/postgresql/${version}/${demo.slave.cluster}`, { recursive: true, force: true });
  await sh(['pg_createcluster', String(version), demo.slave.cluster, '--port', String(demo.port), '--socketdir', demoSocketDir(demo.slave.cluster)]);
}

/** Seconds per phase of one slave install, from its log's ISO timestamps ("action i/n: X" to "done: X"). */
function phases(logFile: string, wall: number): Map<string, number> {
  const lines = readFileSync(logFile, 'utf8').split('\n').flatMap((l) => {
    const m = /^(\S+Z) (\w+)\s+(action \d+\/\d+: |done: )?(.*)$/.exec(l);
    return m ? [{ t: Date.parse(m[1]!) / 1000, mark: m[2] === 'info' ? m[3] : undefined, title: m[4]! }] : [];
  });
  const out = new Map<string, number>();
  let open = { name: 'checks, preflight and plan (before action 1)', t: lines[0]!.t };
  for (const l of lines.filter((x) => x.mark)) {
    out.set(open.name, (out.get(open.name) ?? 0) + l.t - open.t);
    open = { name: l.mark!.startsWith('action') ? `action: ${l.title.slice(0, 70)}` : 'after the last action (summary, state)', t: l.t };
  }
  out.set(open.name, lines.at(-1)!.t - open.t);
  out.set('start-up (node, modules, facts) and exit: outside the log', wall - (lines.at(-1)!.t - lines[0]!.t));
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b).slice(Math.floor((xs.length - 1) / 2), Math.floor(xs.length / 2) + 1).reduce((a, b, _, m) => a + b / m.length, 0);
const s = (x: number) => `${x.toFixed(2)} s`.padStart(9);
const gb = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GB`;
const results: Record<'ha' | 'bare' | 'cp', number[]> = { ha: [], bare: [], cp: [] };
const breakdown: Map<string, number>[] = []; // one per ha-install run
let [demoWasUp, ours, slaveReset] = [false, false, false]; // ours: the pair is ours to change
// The very argv ha-install runs (from its own code) into a scratch directory: the comparison stays fair when the flags change.
const bareArgv = basebackupArgv(
  { answers: { masterIp: demo.master.address, pgPort: demo.port, replicationUser: 'replicator', slotName: 'ha_slave' } } as unknown as PostgresqlContext,
  { version, dataDir: join(copies, 'bare') } as Cluster,
);

try {
  // The bench times bin/ha-install.js, i.e. the bundle in dist/. Not rebuilt here: tests may be running it.
  const sources = ['src', 'installers'].flatMap((d) => (readdirSync(join(repo, d), { recursive: true }) as string[]).map((f) => join(d, f)));
  const bundle = join(repo, 'dist', 'cli.js');
  const stale = existsSync(bundle) ? sources.filter((f) => /\.tsx?$/.test(f)).find((f) => statSync(bundle).mtimeMs < statSync(join(repo, f)).mtimeMs) : 'src/cli.ts';
  if (stale) throw new Error(`dist/ is older than ${stale}: run \`npm run build\` first.`);
  // The e2e tests change the same loopback pair and clusters: one user at a time.
  await acquireLoopbackLock({ timeoutMs: 15 * 60_000, log: (line) => console.error(line) });
  demoWasUp = existsSync(join(demoDir, 'demo.json'));
  asideBefore = new Set(existsSync(dirname(slaveData)) ? movedAside() : []);
  const clusters = (JSON.parse(await sh(['pg_lsclusters', '--json'])) as { cluster: string }[]).map((c) => c.cluster);
  if (!demoWasUp && clusters.some((c) => c === demo.master.cluster || c === demo.slave.cluster)) {
    throw new Error(`A demo pair is up but not from ${state}: not touching it. Take it down, or pass its --state-dir.`);
  }
  ours = true;
  console.error(demoWasUp ? `reusing the demo pair in ${state}` : `bringing up the demo pair (state ${state}, logs ${logs}) ...`);
  if (!demoWasUp) await ha(state, ['demo']);
  console.error(`pgbench -i -s ${scale} into ${db} on the master ...`);
  await psql(`DROP DATABASE IF EXISTS ${db}`);
  await psql(`CREATE DATABASE ${db}`);
  await sh([`${binDir(version)}/pgbench`, '-i', '-q', '-s', String(scale), '-h', masterSocket, '-p', String(demo.port), db], { user: 'postgres' });
  await psql('CHECKPOINT'); // the load's own checkpoint must not land inside a timed clone
  const dbBytes = Number(await psql(`SELECT pg_database_size('${db}')`));
  const du = async (path: string) => Number((await sh(['du', '-sb', path])).split('\t')[0]);
  const [dataBytes, walBytes] = [await du(masterData), await du(join(masterData, 'pg_wal'))];
  mkdirSync(copies, { mode: 0o700 });
  mkdirSync(logs, { recursive: true, mode: 0o700 });
  chownSync(copies, userIds('postgres').uid, userIds('postgres').gid);

  const runners: Record<'ha' | 'bare' | 'cp', () => Promise<void>> = {
    bare: async () => {
      results.bare.push(await timed(() => sh(bareArgv, { user: 'postgres' })));
    },
    cp: async () => {
      // cp does not fsync, pg_basebackup does: the sync belongs inside cp's timing.
      results.cp.push(await timed(async () => (await sh(['cp', '-a', masterData, join(copies, 'cp')]), await sh(['sync']))));
    },
    ha: async () => {
      const logsBefore = new Set(readdirSync(logs));
      const wall = await timed(() => slaveInstall());
      slaveReset = false; // the slave streams again
      results.ha.push(wall);
      const logFile = readdirSync(logs).find((f) => !logsBefore.has(f) && f.startsWith('ha-install-'));
      if (logFile) breakdown.push(phases(join(logs, logFile), wall));
    },
  };
  // Every copy starts from the same state: the copies of the copy before it deleted, the slave
  // a fresh, stopped cluster (as the demo's first slave install finds it; the slot free for
  // the bare run), then a sync and an idle disk. On this VM a copy that follows a few GB of
  // writes or deletes runs up to 40% slower even then, so copies that followed different
  // things (another copy, or a delete) were not comparable: ha-install's own pg_basebackup
  // measured 0.97 to 1.26 times the very same command run bare, depending on the order.
  const prepare = async () => {
    for (const done of ['bare.partial', 'cp']) rmSync(join(copies, done), { recursive: true, force: true });
    slaveReset = true;
    await resetSlave();
    removeOurMovedAside(); // what the previous install moved aside
  };
  const kinds = ['bare', 'cp', 'ha'] as const;
  for (let i = 1; i <= runs; i++) {
    // Interleaved rounds, so a drift of the machine hits all three alike; the order turns each round.
    const order = kinds.map((_, k) => kinds[(k + i - 1) % kinds.length]!);
    for (const kind of order) {
      await prepare();
      await runners[kind]();
    }
    console.error(`run ${i}/${runs} (${order.join(', ')}): ha-install ${s(results.ha.at(-1)!)}, bare ${s(results.bare.at(-1)!)}, cp -a ${s(results.cp.at(-1)!)}`);
  }

  console.log(`\nPostgreSQL ${version}, pgbench scale ${scale}: database ${db} ${gb(dbBytes)} (pg_database_size); master data directory ${gb(dataBytes)}, of which pg_wal ${gb(walBytes)} (cp copies it, pg_basebackup streams only the WAL it needs); ${runs} run(s) each`);
  console.log(`bare pg_basebackup = ha-install's own argv (installers/postgresql/clone.ts), as postgres:\n  ${bareArgv.slice(1).join(' ')}\n`);
  const clones = breakdown.map((b) => [...b].find(([name]) => name.startsWith('action: Clone'))?.[1] ?? NaN);
  console.log(`${''.padEnd(42)}${'median'.padStart(9)}${'min'.padStart(9)}   runs`);
  for (const [name, xs] of [
    ['(a) ha-install slave install', results.ha],
    ['    its pg_basebackup (from the log)', clones],
    ['(b) bare pg_basebackup', results.bare],
    ['(c) cp -a + sync (live copy, reference)', results.cp],
  ] as const) console.log(`${name.padEnd(42)}${s(median(xs))}${s(Math.min(...xs))}   ${xs.map((x) => x.toFixed(2)).join(' ')}`);
  const [ha_, bare, cp] = [median(results.ha), median(results.bare), median(results.cp)];
  const mins = (x: number[], y: number[]) => (Math.min(...x) / Math.min(...y)).toFixed(2);
  console.log(`\nratios: ha-install/bare ${(ha_ / bare).toFixed(2)} (medians), ${mins(results.ha, results.bare)} (mins); ha-install/cp ${(ha_ / cp).toFixed(2)} (medians), ${mins(results.ha, results.cp)} (mins)`);
  // The same pg_basebackup command, timed inside ha-install and bare: how far apart two runs
  // of one command land here says how much of any ratio is the machine, not ha-install.
  const paired = (x: number[]) => median(x.map((v, i) => v / results.bare[i]!)).toFixed(2);
  console.log(`per round (same round, median of ratios): ha-install/bare ${paired(results.ha)}; its own pg_basebackup/bare ${paired(clones)} (the same command: the machine's noise)`);
  const over = (ha_ / bare - 1) * 100;
  console.log(`verdict: ha-install adds ${over.toFixed(0)}% (${(ha_ - bare).toFixed(2)} s) over a bare pg_basebackup: ${over < 20 ? 'PASS' : 'FAIL'} (target < 20%)`);
  // What ha-install costs around its own clone does not grow with the database; the clone does.
  const fixed = median(results.ha.map((x, i) => x - (clones[i] ?? NaN)));
  const rate = (dataBytes - walBytes) / bare; // what pg_basebackup copies: every database, no pg_wal
  console.log(`ha-install's cost around its clone: ${fixed.toFixed(2)} s (median of wall - its own pg_basebackup), ${((fixed / bare) * 100).toFixed(0)}% of the median bare clone; under 20% it needs a bare clone of >= ${(fixed / 0.2).toFixed(1)} s, ~${gb((fixed / 0.2) * rate)} of data at this machine's ${(rate / 1024 ** 2).toFixed(0)} MB/s`);
  console.log(`\nwhere ha-install's time goes (median per phase, from its log's timestamps):`);
  const names = [...new Set(breakdown.flatMap((b) => [...b.keys()]))];
  const medians = names.map((n) => [n, median(breakdown.map((b) => b.get(n) ?? 0))] as const).sort((x, y) => y[1] - x[1]);
  for (const [name, secs] of medians.filter(([, x]) => x >= 0.01)) console.log(`  ${s(secs)}  ${name}`);
  const small = medians.filter(([, x]) => x < 0.01);
  if (small.length) console.log(`  ${s(small.reduce((sum, [, x]) => sum + x, 0))}  ${small.length} other phases (file writes, renames, summary)`);
} catch (error) {
  process.exitCode = 1;
  console.error(`\nbench failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  const failed = process.exitCode === 1 && !stopping;
  stopping ??= 'cleanup'; // from here on a Ctrl-C is ignored: the cleanup must finish
  const step = (what: string, fn: () => unknown) =>
    Promise.resolve()
      .then(fn)
      .catch((error: unknown) => ((process.exitCode = 1), console.error(`cleanup: ${what} failed: ${error instanceof Error ? error.message : error}`)));
  const goesDown = ours && !demoWasUp && !keep && existsSync(join(demoDir, 'demo.json'));
  await step('remove the copies', () => rmSync(copies, { recursive: true, force: true }));
  if (ours && !goesDown && slaveReset) await step('re-clone the slave', () => slaveInstall(true)); // the pair stays up: streaming
  if (ours && !goesDown && !keep) await step(`drop ${db}`, () => psql(`DROP DATABASE IF EXISTS ${db}`, true));
  if (ours && existsSync(dirname(slaveData))) await step('remove moved-aside directories', removeOurMovedAside);
  if (goesDown) await step('demo --down', () => ha(state, ['demo', '--down'], true));
  // Our state goes only with no demo record left: that record is what a later --down needs.
  if (!existed.state && !existsSync(join(demoDir, 'demo.json'))) rmSync(state, { recursive: true, force: true });
  if (!existed.logs && !keep && !failed) rmSync(logs, { recursive: true, force: true });
  if (existsSync(tmpBase) && readdirSync(tmpBase).length === 0) rmSync(tmpBase, { recursive: true });
  releaseLoopbackLock();
  if (failed && existsSync(logs)) console.error(`ha-install's logs are kept for the failure: ${logs}`);
  console.error(!ours ? 'nothing was changed' : existsSync(join(demoDir, 'demo.json')) ? `the demo pair stays up (${state}${keep ? `, database ${db}` : ''})` : 'cleaned up: demo down, copies, state and logs removed');
}
