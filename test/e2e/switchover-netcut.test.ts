import test from 'ava';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DemoEnv, eventually, type Node } from '../helpers/demo.js';
import { useDemo } from '../helpers/demo-hooks.js';
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

useDemo(test, env, { up: () => WriteClient.prepare(env), down: healNetwork });

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

test.serial('the network cut right after the promote: no undo (it could make two primaries), exit 1; a re-run resumes and finishes; no row lost', async (t) => {
  // 127.0.0.12 is the primary now: switch back, run on 127.0.0.12 (the master), cut once 127.0.0.11 is promoted.
  const client = new WriteClient(env);
  await client.start();
  const run = env.run('slave', ['switchover', '--yes']);
  const deadline = Date.now() + 30_000;
  while ((await role('master')) !== 'primary' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  await cutNetwork();
  const cut = await run;
  t.is(cut.exitCode, 1, cut.stderr.slice(-3000));
  t.notRegex(cut.stderr, /The switchover was undone/, 'never undone once the promote began');
  t.regex(cut.stderr, /The switchover is not finished, and is not undone \(the promote began/);
  t.is(await primaries(), 1, 'one primary: the promoted one');
  t.true(existsSync(join(env.nodeDir('slave'), 'switchover-in-progress.json')), 'the note is kept for the re-run');
  await healNetwork();
  const rerun = await env.run('slave', ['switchover', '--yes']);
  t.is(rerun.exitCode, 0, rerun.stderr.slice(-3000));
  t.regex(rerun.stderr, /resuming where it stopped/);
  t.regex(rerun.stderr, /done in an earlier, interrupted run/);
  const before = client.acked().length;
  await eventually(async () => client.acked().length > before + 20);
  await client.stop();
  t.is(await role('master'), 'primary');
  t.is(await role('slave'), 'standby');
  t.deepEqual(await client.lost('master'), [], 'every acknowledged row is on the primary');
  t.true(await eventually(async () => (await client.lost('slave')).length === 0), 'and on its standby');
  t.is((await env.cli(['status'])).exitCode, 0);
});
