import test, { type ExecutionContext } from 'ava';
import { execa, type Result } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { bin, root, runCli } from '../helpers/cli.js';
import { dataDir, DemoEnv, eventually, machineState, port, psql, socketDir, version, type StatusJson } from '../helpers/demo.js';
import { acquireLoopbackLock, releaseLoopbackLock } from '../helpers/loopback-lock.js';

/**
 * The slave install interrupted in the middle of its clone (kill -9 of the whole process
 * group, then Ctrl-C as SIGINT to ha-install alone), each time followed by a re-run that
 * completes. The master holds a pgbench -s 20 database (~300 MB) so the clone lasts seconds.
 */

const env = new DemoEnv();
let before: Record<string, string> | undefined;
const partial = `${dataDir('slave')}.partial`;
const parent = `/var/lib/postgresql/${version}`;
const asides = () => readdirSync(parent).filter((e) => e.startsWith('ha_demo_12.ha-install-'));
const journalDone = () => (JSON.parse(readFileSync(join(env.demoDir, 'slave', 'journal.json'), 'utf8')) as { done: string[] }).done;
const rows = (node: 'master' | 'slave') => psql(node, `SELECT (SELECT count(*) FROM pgbench_accounts) || '|' || (SELECT sum(n) FROM demo_probe)`, { reject: false }).then((r) => r.out);

/** PG_VERSION and pg_control of a stopped data directory: the same bytes wherever it is moved. */
function fingerprint(dir: string): string | undefined {
  if (!existsSync(`${dir}/global/pg_control`)) return undefined;
  return createHash('sha256').update(readFileSync(`${dir}/PG_VERSION`)).update(readFileSync(`${dir}/global/pg_control`)).digest('hex');
}

/** pg_basebackup processes (not zombies) still writing into the unfinished clone. */
function clonesRunning(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
        return state !== 'Z' && argv[0]?.endsWith('pg_basebackup') && argv.includes(partial);
      } catch {
        return false;
      }
    })
    .map(Number);
}

test.before(async (t) => {
  t.timeout(8 * 60_000); // the lock may wait for the other files that use 127.0.0.11/12
  await acquireLoopbackLock({ log: (line) => t.log(line) });
  DemoEnv.assertNoDemo();
  before = await machineState();
  const demo = await env.demo();
  if (demo.exitCode !== 0) throw new Error(`demo failed (${demo.exitCode}):\n${demo.stderr.slice(-3000)}`);
  const started = Date.now();
  await execa('runuser', ['-u', 'postgres', '--', 'pgbench', '-i', '-q', '-s', '20', '-h', socketDir('master'), '-p', String(port), 'postgres'], { cwd: '/' });
  t.log(`pgbench -i -s 20 on the master: ${((Date.now() - started) / 1000).toFixed(1)} s, ${(await psql('master', `SELECT pg_size_pretty(pg_database_size('postgres'))`)).out}`);
  await psql('master', 'CREATE TABLE demo_probe AS SELECT g AS n FROM generate_series(1, 1000) g');
});

test.after.always(async () => {
  try {
    await env.cleanup();
  } finally {
    releaseLoopbackLock();
  }
});

/**
 * Stops the slave (a stopped slave is cloned again), starts its install detached (its own
 * process group), waits until pg_basebackup has written into `.partial`, then interrupts it.
 */
async function interruptClone(t: ExecutionContext, interrupt: (pid: number) => void): Promise<{ result: Result; old: string }> {
  await execa('pg_ctlcluster', [String(version), 'ha_demo_12', 'stop']);
  const old = fingerprint(dataDir('slave'));
  t.truthy(old, 'the slave data directory is there before the run');
  const child = execa('node', [bin, ...env.slaveArgs()], { detached: true, reject: false, stdin: 'ignore', cwd: root, env: { FORCE_COLOR: '0' } });
  const deadline = Date.now() + 60_000;
  while (!existsSync(`${partial}/base`) && child.exitCode === null && Date.now() < deadline) await delay(20);
  t.true(existsSync(`${partial}/base`), 'the clone started');
  interrupt(child.pid!);
  const result = await child;
  t.true(existsSync(partial), 'interrupted in the middle of the clone');
  t.false(journalDone().includes('postgresql.clone'), 'the journal does not count the clone as done');
  // Still in place (the clone comes before the move) or moved aside: never deleted.
  const kept = [dataDir('slave'), ...asides().map((e) => join(parent, e))].map(fingerprint);
  t.true(kept.includes(old), 'the old data directory is kept');
  return { result, old: old! };
}

/** The same install again: exit 0, the old data kept aside, the pair streams, the rows arrived. */
async function rerun(t: ExecutionContext, old: string): Promise<string> {
  const result = await runCli(env.slaveArgs());
  t.is(result.exitCode, 0, result.stdout.slice(-2000) + result.stderr);
  t.regex(result.stdout + result.stderr, /Remove the unfinished clone/);
  t.true(asides().some((e) => fingerprint(join(parent, e)) === old), 'the old data directory was moved aside, not deleted');
  const status = await env.cli(['status', '--json']);
  t.is(status.exitCode, 0, status.stdout);
  t.true((JSON.parse(status.stdout) as StatusJson).healthy);
  const expected = await rows('master');
  t.is(expected, '2000000|500500');
  t.true(await eventually(async () => (await rows('slave')) === expected), 'the slave has the master rows');
  t.deepEqual(clonesRunning(), [], 'no pg_basebackup left running');
  const logPath = /Log: (\S+\.log)/.exec(result.stdout + result.stderr)?.[1];
  const log = readFileSync(logPath!, 'utf8');
  const at = (re: RegExp) => Date.parse(log.split('\n').find((l) => re.test(l))?.split(' ')[0] ?? '');
  const seconds = (at(/done: Clone the master/) - at(/action \d+\/\d+: Clone the master/)) / 1000;
  t.log(`re-run: clone of the ~300 MB master took ${seconds.toFixed(1)} s`);
  return log;
}

test.serial('kill -9 of the slave install and pg_basebackup mid-clone: the old data is kept, a re-run completes', async (t) => {
  const { result, old } = await interruptClone(t, (pid) => process.kill(-pid, 'SIGKILL'));
  t.is(result.signal, 'SIGKILL');
  t.deepEqual(clonesRunning(), [], 'the whole group died, pg_basebackup included');
  await rerun(t, old);
});

test.serial('Ctrl-C (SIGINT to ha-install alone) mid-clone: exit 130, a re-run completes', async (t) => {
  const { result, old } = await interruptClone(t, (pid) => process.kill(pid, 'SIGINT'));
  t.is(result.exitCode, 130, String(result.stderr).slice(-2000));
  t.regex(String(result.stderr), /Cancelled\. Nothing half-written/);
  // pg_basebackup's WAL streamer outlives its killed parent, holding the slot and writing into
  // .partial (an idle master sends it nothing that would end it): the re-run must stop it first.
  const orphans = clonesRunning();
  t.log(`pg_basebackup processes left running by the interrupted run: ${orphans.length}`);
  const log = await rerun(t, old);
  if (orphans.length > 0) t.regex(log, new RegExp(`stopping pg_basebackup left running by an interrupted run \\(pid ${orphans.join(', ')}\\)`));
});

test.serial('demo --down removes the clusters, the moved-aside and unfinished clones, and restores the loopback', async (t) => {
  const result = await env.down();
  t.is(result.exitCode, 0, result.stderr);
  t.deepEqual(await machineState(), before);
  t.deepEqual(asides(), []);
  t.false(existsSync(partial));
});
