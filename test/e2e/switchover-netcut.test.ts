import test from 'ava';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DemoEnv, eventually, type Node } from '../helpers/demo.js';
import { acquireLoopbackLock, releaseLoopbackLock } from '../helpers/loopback-lock.js';
import { cutNetwork, healNetwork, WriteClient } from '../helpers/switch-client.js';

/**
 * The network between the two nodes is cut in the middle of a switchover run on the master:
 * after it stopped cleanly, before the standby was promoted. The run cannot prove the standby
 * replayed its WAL, so it does not promote it: it undoes the switch (the master starts again
 * as the primary) and exits 1. Once the network is back, a re-run completes. A client writes
 * numbered rows throughout: one primary at every moment, no acknowledged row lost.
 *
 * To land the cut at that point every time, the standby's replay is paused before the run and
 * resumed right after the cut: the run is then waiting for the proof when the network goes.
 */

const env = new DemoEnv({ prefix: 't_sn', port: 5612 });
const role = async (node: Node) => (await env.psql(node, "SELECT CASE WHEN pg_is_in_recovery() THEN 'standby' ELSE 'primary' END", { reject: false })).out;
const primaries = async () => [await role('master'), await role('slave')].filter((r) => r === 'primary').length;
const streaming = async () => (await env.psql('master', "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")).out === '1';

test.before(async (t) => {
  t.timeout(6 * 60_000);
  await acquireLoopbackLock({ log: (line) => t.log(line) });
  await env.clearLeftovers();
  const demo = await env.demo();
  if (demo.exitCode !== 0) throw new Error(`demo failed (${demo.exitCode}):\n${demo.stderr.slice(-3000)}`);
  await WriteClient.prepare(env);
});

test.after.always(async () => {
  try {
    await healNetwork();
    await env.cleanup();
  } finally {
    releaseLoopbackLock();
  }
});

test.serial('the network cut after the master stopped: the switch is undone (one primary, exit 1); a re-run once it is back completes; no row lost', async (t) => {
  const answers = join(env.root, 'quick.yaml');
  writeFileSync(answers, 'recovery:\n  replay-timeout-seconds: 5\n', { mode: 0o600 });
  const client = new WriteClient(env);
  await client.start();
  await env.psql('slave', 'SELECT pg_wal_replay_pause()');
  const run = env.run('master', ['switchover', '--yes', '--answers', answers]);
  const pid = join(env.dataDir('master'), 'postmaster.pid');
  t.true(await eventually(async () => !existsSync(pid), 30_000), 'the master stopped');
  await cutNetwork();
  await env.psql('slave', 'SELECT pg_wal_replay_resume()');
  const cut = await run;
  t.is(cut.exitCode, 1, cut.stderr.slice(-3000));
  t.regex(cut.stderr, /did not replay the old master's shutdown checkpoint/);
  t.regex(cut.stderr, /The switchover was undone: .* This node is the primary again and 127\.0\.0\.12 its standby; no write was lost/s);
  t.is(await role('master'), 'primary', 'the master took its role back');
  t.is(await role('slave'), 'standby', 'the standby was never promoted');
  t.false(existsSync(join(env.dataDir('master'), 'standby.signal')));
  t.false(existsSync(join(env.nodeDir('master'), 'switchover-in-progress.json')), 'the undone attempt is closed');
  await healNetwork();
  t.true(await eventually(streaming, 30_000), 'the standby streams again once the network is back');
  const rerun = await env.run('master', ['switchover', '--yes']);
  t.is(rerun.exitCode, 0, rerun.stderr.slice(-3000));
  await eventually(async () => (await role('slave')) === 'primary');
  const before = client.acked().length;
  await eventually(async () => client.acked().length > before + 20);
  const summary = await client.stop();
  t.log(`${summary.acked} rows acknowledged; the longest pause ${summary.maxPauseMs} ms (the cut included)`);
  t.is(await primaries(), 1);
  t.is(await role('slave'), 'primary');
  t.deepEqual(await client.lost('slave'), [], 'every acknowledged row is on the primary');
});
