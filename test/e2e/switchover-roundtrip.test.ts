import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DemoEnv, eventually, type Node } from '../helpers/demo.js';
import { useDemo } from '../helpers/demo-hooks.js';
import { WriteClient } from '../helpers/switch-client.js';

/**
 * switchover there and back on a real demo pair while a client writes numbered rows: first
 * run on the master (127.0.0.11: it stops, proves the standby replayed its shutdown checkpoint,
 * promotes it over the replication login and rejoins as its standby), then run on the standby
 * (127.0.0.11 again, now the standby: it asks its master to step down and promotes itself).
 * Every acknowledged row is on the new primary each time; both nodes' state says what happened.
 */

const env = new DemoEnv({ prefix: 't_so', port: 5610 });
const addressOf = (node: Node) => (node === 'master' ? '127.0.0.11' : '127.0.0.12');
const role = async (node: Node) => (await env.psql(node, "SELECT CASE WHEN pg_is_in_recovery() THEN 'standby' ELSE 'primary' END")).out;
const stateOf = (node: Node) => JSON.parse(readFileSync(join(env.nodeDir(node), 'state.json'), 'utf8')) as { history: Array<{ event: string; node: string; detail: string }> };

useDemo(test, env, { up: () => WriteClient.prepare(env) });

for (const [round, runOn, promoted] of [
  [1, 'master', 'slave'],
  [2, 'master', 'master'],
] as const) {
  const demoted: Node = promoted === 'master' ? 'slave' : 'master';
  test.serial(`round ${round}: switchover run on ${addressOf(runOn)} (the ${round === 1 ? 'master' : 'standby'}) under a writing client: ${addressOf(promoted)} becomes the primary, no acknowledged row lost`, async (t) => {
    const client = new WriteClient(env);
    await client.start();
    const result = await env.run(runOn, ['switchover', '--yes']);
    await eventually(async () => client.acked().length > 0 && (await role(promoted)) === 'primary');
    const before = client.acked().length;
    await eventually(async () => client.acked().length > before + 20); // it writes on the new primary
    const summary = await client.stop();
    t.is(result.exitCode, 0, result.stderr.slice(-3000));
    t.log(`round ${round}: ${summary.acked} rows acknowledged, the longest pause ${summary.maxPauseMs} ms, ${summary.errors} failed attempts (not acknowledged)`);
    t.true(summary.acked > 40, 'the client wrote before and after the switch');
    t.deepEqual(await client.lost(promoted), [], 'every acknowledged row is on the new primary');
    t.regex(result.stderr, /past the shutdown checkpoint [0-9A-F]+\/[0-9A-F]+/, 'the LSN proof, not a sleep');
    t.is(await role(promoted), 'primary');
    t.is(await role(demoted), 'standby');
    t.true(await eventually(async () => (await client.lost(demoted)).length === 0), 'the old master streams every row too');
    t.notRegex(readFileSync(join(env.dataDir(demoted), 'standby.signal'), 'utf8'), /fence/, 'a standby of the pair, not fenced');
    for (const node of ['master', 'slave'] as const) {
      t.like(stateOf(node).history.at(-1), { event: 'switchover', node: addressOf(promoted) }, `${node}'s state file has the switch`);
      t.false(existsSync(join(env.nodeDir(node), 'switchover-in-progress.json')));
    }
    // HAProxy marks the new primary UP after its next checks (rise 2): status is healthy then.
    let status = await env.cli(['status', '--json']);
    await eventually(async () => (status = await env.cli(['status', '--json'])).exitCode === 0, 10_000);
    t.is(status.exitCode, 0, status.stdout);
    const report = JSON.parse(status.stdout) as { nodes: Array<{ name: string; status: { role: string } }> };
    t.deepEqual(report.nodes.map((n) => n.status.role).filter((r) => r !== 'balancer'), promoted === 'master' ? ['primary', 'standby'] : ['standby', 'primary']);
  });
}
