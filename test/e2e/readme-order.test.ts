import test from 'ava';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, runCli, snapshot } from '../helpers/cli.js';
import { version } from '../helpers/demo.js';
import { acquireLoopbackLock, releaseLoopbackLock } from '../helpers/loopback-lock.js';

/**
 * The README's order: `npx ha-install demo` (its own names and port: ha_demo_11/12 on 5440),
 * then the tests. The tests must neither fail because the admin's demo is up nor touch it: a
 * demo test file runs (a nested ava) while the README's demo is up, and afterwards the demo is
 * as it was, files and running servers. If an admin's demo is already up on this machine, it is
 * that one that is watched (and left up); otherwise the test makes one and takes it down.
 */

const clusters = ['ha_demo_11', 'ha_demo_12'];
const dirs = clusters.flatMap((c) => [`/etc/postgresql/${version}/${c}`, `/var/lib/postgresql/${version}/${c}/PG_VERSION`]);
/** postmaster.pid's third line: when each server started (a restart changes it). */
const startTimes = () =>
  clusters.map((c) => {
    const pidFile = `/var/lib/postgresql/${version}/${c}/postmaster.pid`;
    return `${c}: ${existsSync(pidFile) ? readFileSync(pidFile, 'utf8').split('\n')[2] : 'down'}`;
  });

test('a demo of the README\'s own is up while the demo tests run: they pass, and the demo is left exactly as it was', async (t) => {
  t.timeout(10 * 60_000);
  const folder = mkdtempSync(join(tmpdir(), 'ha-readme-'));
  const adminDemo = clusters.some((c) => existsSync(`/etc/postgresql/${version}/${c}`));
  const cli = (args: string[]) => runCli(['--state-dir', join(folder, 'state'), '--log-dir', join(folder, 'logs'), ...args]);
  try {
    if (!adminDemo) {
      // Its loopback routes change while no other test file holds them.
      await acquireLoopbackLock({ log: (line) => t.log(line) });
      try {
        const up = await cli(['demo']);
        t.is(up.exitCode, 0, up.stderr.slice(-3000));
      } finally {
        releaseLoopbackLock();
      }
    } else t.log('an admin\'s demo is up on this machine: watching it, never changing it');
    const files = snapshot(dirs);
    const started = startTimes();
    const nested = await execa('npx', ['ava', 'test/e2e/demo.test.ts'], { cwd: root, reject: false, env: { FORCE_COLOR: '0' } });
    t.is(nested.exitCode, 0, `${nested.stdout.slice(-3000)}\n${nested.stderr.slice(-2000)}`);
    t.regex(nested.stdout, /\d+ tests passed/);
    t.is(snapshot(dirs), files, 'the README demo\'s configuration and data directories are untouched');
    t.deepEqual(startTimes(), started, 'its servers were not restarted');
  } finally {
    if (!adminDemo) {
      await acquireLoopbackLock();
      try {
        const down = await cli(['demo', '--down']);
        t.is(down.exitCode, 0, down.stderr);
      } finally {
        releaseLoopbackLock();
      }
    }
    rmSync(folder, { recursive: true, force: true });
  }
});
