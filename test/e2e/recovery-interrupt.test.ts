import test, { type ExecutionContext } from 'ava';
import { execa, type Result } from 'execa';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { bin, root, runCli } from '../helpers/cli.js';
import { crash, DemoEnv, eventually, pgCtlCluster, version, type Node } from '../helpers/demo.js';
import { acquireLoopbackLock, releaseLoopbackLock } from '../helpers/loopback-lock.js';
import { livePids } from '../../src/system/processes.js';

/**
 * restore-master interrupted in the middle of its rewind and in the middle of the clone that
 * replaces an interrupted rewind, by kill -9 of its whole process group and by Ctrl-C (SIGINT
 * to ha-install alone), each followed by a re-run that completes. The old master holds a
 * pgbench -s 20 database (~300 MB) rewritten after the fork, so that both take seconds.
 */

const env = new DemoEnv({ prefix: 't_ri', port: 5463 });
const addressOf = (node: Node) => (node === 'master' ? '127.0.0.11' : '127.0.0.12');
const other = (node: Node): Node => (node === 'master' ? 'slave' : 'master');
const totals = async (node: Node) => (await env.psql(node, 'SELECT count(*) || \'|\' || sum(abalance) FROM pgbench_accounts')).out;
const rewinding = (node: Node) => livePids((argv) => argv[0]?.endsWith('/pg_rewind') === true && argv.includes(`--target-pgdata=${env.dataDir(node)}`));
const cloning = (node: Node) => livePids((argv) => argv[0]?.endsWith('/pg_basebackup') === true && argv.includes(`${env.dataDir(node)}.partial`));
const marker = (node: Node) => join(env.nodeDir(node), 'rewind-in-progress');

/** restore-master on `node` run directly (not through `demo run`), so a signal reaches ha-install itself. */
function restoreArgs(node: Node): string[] {
  return [bin, '--state-dir', env.nodeDir(node), '--log-dir', env.logs, 'restore-master', '--master-ip', addressOf(other(node)), '--answers', join(env.demoDir, 'secrets.yaml'), '--yes'];
}

/** The primary `dead` dies after rewriting every account (~300 MB of pages) its standby never got; the standby is promoted. */
async function dieAfterRewrite(t: ExecutionContext, dead: Node): Promise<void> {
  await pgCtlCluster(env, other(dead), 'stop');
  await env.psql(dead, 'UPDATE pgbench_accounts SET abalance = abalance + 1');
  await crash(env, dead);
  await pgCtlCluster(env, other(dead), 'start');
  const promoted = await env.run(other(dead), ['promote', '--yes']);
  t.is(promoted.exitCode, 0, promoted.stderr.slice(-2000));
}

/** Starts restore-master on `node` detached (its own process group), waits until `busy` says it is in the middle, interrupts it. */
async function interruptWhile(t: ExecutionContext, node: Node, busy: () => boolean, interrupt: (pid: number) => void): Promise<Result> {
  const child = execa('node', restoreArgs(node), { detached: true, reject: false, stdin: 'ignore', cwd: root, env: { FORCE_COLOR: '0' } });
  const deadline = Date.now() + 120_000;
  while (!busy() && child.exitCode === null && Date.now() < deadline) await delay(10);
  t.true(busy(), 'caught in the middle');
  await delay(200);
  interrupt(child.pid!);
  return child;
}

/** The same restore-master again: exit 0, by a clone (the rewind was interrupted), the node streams with the new master's data. */
async function rerunCompletes(t: ExecutionContext, node: Node): Promise<void> {
  const result = await runCli(restoreArgs(node).slice(1));
  t.is(result.exitCode, 0, result.stderr.slice(-3000));
  t.regex(result.stderr, /an earlier rewind was interrupted/);
  t.regex(result.stderr, /\[\d+\/\d+\] Clone the master .* \.\.\. done/);
  t.false(existsSync(marker(node)), 'the rewind note is gone once the rejoin is proven');
  t.deepEqual([...rewinding(node), ...cloning(node)], [], 'nothing left running');
  t.true(await eventually(async () => (await totals(node)) === (await totals(other(node)))), 'the restored node has the new master\'s rows');
  const status = await env.cli(['status']);
  t.is(status.exitCode, 0, status.stdout);
}

test.before(async (t) => {
  t.timeout(8 * 60_000);
  await acquireLoopbackLock({ log: (line) => t.log(line) });
  await env.clearLeftovers();
  const demo = await env.demo();
  if (demo.exitCode !== 0) throw new Error(`demo failed (${demo.exitCode}):\n${demo.stderr.slice(-3000)}`);
  await execa('runuser', ['-u', 'postgres', '--', 'pgbench', '-i', '-q', '-s', '20', '-h', env.socketDir('master'), '-p', String(env.names.port), 'postgres'], { cwd: '/' });
  if (!(await eventually(async () => (await totals('slave').catch(() => '')) === '2000000|0', 60_000))) throw new Error('the slave never got the pgbench tables');
});

test.after.always(async () => {
  try {
    await env.cleanup();
  } finally {
    releaseLoopbackLock();
  }
});

test.serial('kill -9 during the rewind, then Ctrl-C during the clone that replaces it, then a re-run that completes', async (t) => {
  await dieAfterRewrite(t, 'master');
  const killed = await interruptWhile(t, 'master', () => rewinding('master').length > 0, (pid) => process.kill(-pid, 'SIGKILL'));
  t.is(killed.signal, 'SIGKILL');
  t.true(existsSync(marker('master')), 'the rewind note outlives the killed run');
  const cancelled = await interruptWhile(t, 'master', () => existsSync(`${env.dataDir('master')}.partial/base`), (pid) => process.kill(pid, 'SIGINT'));
  t.is(cancelled.exitCode, 130, String(cancelled.stderr).slice(-2000));
  t.regex(String(cancelled.stderr), /an earlier rewind was interrupted/, 'the run after the kill clones instead of rewinding again');
  t.regex(String(cancelled.stderr), /Cancelled\. Nothing half-written/);
  await rerunCompletes(t, 'master');
});

test.serial('Ctrl-C during the rewind, then kill -9 during the clone that replaces it, then a re-run that completes', async (t) => {
  await dieAfterRewrite(t, 'slave');
  const cancelled = await interruptWhile(t, 'slave', () => rewinding('slave').length > 0, (pid) => process.kill(pid, 'SIGINT'));
  t.is(cancelled.exitCode, 130, String(cancelled.stderr).slice(-2000));
  t.true(existsSync(marker('slave')));
  const killed = await interruptWhile(t, 'slave', () => existsSync(`${env.dataDir('slave')}.partial/base`), (pid) => process.kill(-pid, 'SIGKILL'));
  t.is(killed.signal, 'SIGKILL');
  await rerunCompletes(t, 'slave');
  const parent = `/var/lib/postgresql/${version}`;
  t.true(readdirSync(parent).some((e) => e.startsWith(`${env.cluster('slave')}.ha-install-`)), 'the rewound-in-part data directory was moved aside, not deleted');
});
