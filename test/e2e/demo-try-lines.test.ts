import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { root } from '../helpers/cli.js';
import { DemoEnv, machineState } from '../helpers/demo.js';
import { acquireLoopbackLock, releaseLoopbackLock } from '../helpers/loopback-lock.js';

/**
 * Every command line the demo prints works when pasted as it is: the "Try" lines are run one
 * after another with sh, in the order printed (status, a write on the master, the read on the
 * slave, the master dies, the slave takes over, the old master comes back, the demo goes), and
 * the machine ends as it was before the demo. Both ways the demo runs: automatic failover (its
 * default: the slave's monitor promotes it, the same client line then writes there) and
 * --manual-failover (promote by hand).
 */

const automatic = new DemoEnv({ prefix: 't_try', port: 5464, automatic: true });
const manual = new DemoEnv({ prefix: 't_trm', port: 5465 });
let before: Record<string, string> | undefined;

test.before(async (t) => {
  t.timeout(8 * 60_000);
  await acquireLoopbackLock({ log: (line) => t.log(line) });
  for (const env of [automatic, manual]) await env.clearLeftovers();
  before = await machineState();
});

test.after.always(async () => {
  try {
    for (const env of [automatic, manual]) await env.cleanup();
  } finally {
    releaseLoopbackLock();
  }
});

async function pasteEach(t: ExecutionContext, env: DemoEnv, expected: RegExp[]): Promise<void> {
  const demo = await env.demo();
  t.is(demo.exitCode, 0, demo.stderr.slice(-3000));
  const lines = demo.stdout.split('\n').slice(demo.stdout.split('\n').findIndex((l) => /Try:$/.test(l)) + 1).filter((l) => l.startsWith('  ')).map((l) => l.trim());
  t.true(lines.length >= 7, demo.stdout);
  t.notRegex(lines.join('\n'), /\bsudo\b/, 'root needs no sudo, and a clone has no global ha-install');
  expected.forEach((pattern, i) => t.regex(lines[i] ?? '', pattern, `line ${i + 1}`));
  for (const line of lines) {
    const pasted = await execa('sh', ['-c', line], { cwd: root, reject: false, env: { FORCE_COLOR: '0' } });
    t.is(pasted.exitCode, 0, `${line}\n${pasted.stdout.slice(-1500)}\n${pasted.stderr.slice(-1500)}`);
    if (/TABLE t"/.test(line)) t.regex(pasted.stdout, /\b1\b/, 'the slave has the row the master got');
    if (/INSERT INTO t VALUES \(2\)/.test(line)) t.regex(pasted.stdout, /127\.0\.0\.12/, 'the same client line writes on the slave, promoted by its monitor');
    if (/restore-master/.test(line)) t.regex(pasted.stderr, /Restored|Nothing to do/);
  }
  env.up = false; // the last line took it down
  t.deepEqual(await machineState(), before, 'the machine is as it was before the demo');
}

test.serial('automatic failover (the default): each line the demo says to try works when pasted, in the order printed', async (t) => {
  await pasteEach(t, automatic, [/status/, /CREATE TABLE/, /TABLE t/, /pg_ctlcluster \d+ t_try_11 stop -m immediate/, /^sleep 6 && .*INSERT INTO t VALUES \(2\)/, /demo run 127\.0\.0\.11 restore-master --master-ip 127\.0\.0\.12/, /demo --down/]);
});

test.serial('--manual-failover: each line the demo says to try works when pasted, in the order printed', async (t) => {
  await pasteEach(t, manual, [/status/, /CREATE TABLE/, /TABLE t/, /pg_ctlcluster \d+ t_trm_11 stop/, /demo run 127\.0\.0\.12 promote/, /demo run 127\.0\.0\.11 restore-master --master-ip 127\.0\.0\.12/, /demo --down/]);
});
