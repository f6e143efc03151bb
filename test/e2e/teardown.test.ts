import test, { type ExecutionContext } from 'ava';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshot } from '../helpers/cli.js';
import { crash, DemoEnv, eventually, pgCtlCluster, pgpass, postmasterPid, version, type Node, type StatusJson } from '../helpers/demo.js';
import { agentConfigPath, agentServiceName } from '../../installers/agent/config.js';
import { installedServices } from '../../installers/services/spec.js';
import { acquireLoopbackLock, releaseLoopbackLock } from '../helpers/loopback-lock.js';

/**
 * teardown on a demo pair, healthy and then broken (the master killed): two standalone servers
 * that both start on their own, every row where it belongs, the standby's data moved aside (or
 * kept with --keep-data), every removed file backed up, and a second teardown that changes nothing.
 */

const env = new DemoEnv({ prefix: 't_td', port: 5613 });
const count = async (node: Node) => (await env.psql(node, 'SELECT count(*) FROM ledger')).out;
const inRecovery = async (node: Node) => (await env.psql(node, 'SELECT pg_is_in_recovery()')).out;
const ours = (node: Node) => [env.confDir(node), `${env.dataDir(node)}/standby.signal`, `${env.dataDir(node)}/PG_VERSION`];

async function pairWithRows(t: ExecutionContext): Promise<void> {
  await env.clearLeftovers();
  const demo = await env.demo();
  if (demo.exitCode !== 0) throw new Error(`demo failed (${demo.exitCode}):\n${demo.stderr.slice(-3000)}`);
  await env.psql('master', "CREATE TABLE ledger AS SELECT g AS id, 'row ' || g AS what FROM generate_series(1, 1000) g");
  t.true(await eventually(async () => (await count('slave').catch(() => '0')) === '1000'));
}

/** Both stopped and started again as an admin would: each comes up on its own, out of recovery. */
async function bothStartOnTheirOwn(t: ExecutionContext): Promise<void> {
  for (const node of ['master', 'slave'] as const) await pgCtlCluster(env, node, 'stop').catch(() => undefined);
  for (const node of ['master', 'slave'] as const) await pgCtlCluster(env, node, 'start');
  for (const node of ['master', 'slave'] as const) t.is(await inRecovery(node), 'f', `${node} is a server of its own`);
  const status = await env.cli(['status']);
  t.is(status.stdout.match(/role now\s+standalone/g)?.length, 2, status.stdout);
  t.regex(status.stdout, /Standalone: no pair; every server runs on its own\. The balancer 127\.0\.0\.10 left in front has no primary to send clients to \(exit code 1\)/);
  t.is(status.exitCode, 1);
  // The demo's balancer is a third node teardown leaves alone: with both agents gone it has no
  // primary to send clients to, and says so (the only unhealthy part of the report).
  const report = JSON.parse((await env.cli(['status', '--json'])).stdout) as StatusJson;
  for (const node of report.nodes) {
    if (node.status.role === 'balancer') t.deepEqual(node.status.problems, ['no database node is UP for PostgreSQL: clients have nowhere to go']);
    else t.true(node.status.healthy, JSON.stringify(node.status));
  }
}

/** Nothing of the pair is left in the configuration, the .pgpass or the roles. */
async function nothingLeft(t: ExecutionContext, node: Node): Promise<void> {
  const conf = env.confDir(node);
  t.notRegex(readFileSync(join(conf, 'pg_hba.conf'), 'utf8'), /# BEGIN ha-install/);
  t.notRegex(readFileSync(join(conf, 'pg_ctl.conf'), 'utf8'), /ha-install/);
  t.false(existsSync(join(conf, 'ha-install-postgres')));
  t.false(existsSync(join(conf, 'ha-install-guard.json')));
  t.notRegex(readFileSync(join(conf, 'conf.d', 'ha-install.conf'), 'utf8'), /primary_conninfo|primary_slot_name/);
  t.false(existsSync(pgpass) && readFileSync(pgpass, 'utf8').includes(`:${env.names.port}:`), 'no .pgpass line of the pair');
  t.is((await env.psql(node, "SELECT count(*) FROM pg_roles WHERE rolname = 'replicator'")).out, '0');
  t.is((await env.psql(node, 'SELECT count(*) FROM pg_replication_slots')).out, '0');
  const ref = { version, name: env.cluster(node) };
  t.false(installedServices().includes(agentServiceName(ref)), 'the health agent\'s service went first');
  t.false(existsSync(agentConfigPath(ref)), 'and its settings');
  t.notRegex(readFileSync(join(conf, 'pg_ident.conf'), 'utf8'), /# BEGIN ha-install/);
  const backups = join(env.nodeDir(node), 'backups');
  const copies = readdirSync(backups).map((stamp) => join(backups, stamp, conf, 'pg_hba.conf')).filter(existsSync);
  t.true(copies.some((copy) => readFileSync(copy, 'utf8').includes('# BEGIN ha-install')), 'pg_hba.conf was backed up before its block went');
}

async function secondTeardownChangesNothing(t: ExecutionContext): Promise<void> {
  const before = snapshot([...ours('master'), ...ours('slave'), pgpass]);
  for (const node of ['master', 'slave'] as const) {
    const again = await env.run(node, ['teardown', '--yes']);
    t.is(again.exitCode, 0, again.stderr);
    t.regex(again.stderr, /Nothing to do: this node is standalone already/);
  }
  t.is(snapshot([...ours('master'), ...ours('slave'), pgpass]), before);
}

test.before(async (t) => {
  t.timeout(8 * 60_000);
  await acquireLoopbackLock({ log: (line) => t.log(line) });
});

test.after.always(async () => {
  try {
    await env.cleanup();
  } finally {
    releaseLoopbackLock();
  }
});

test.serial('a healthy pair: teardown on the master, then on the standby (default: its data moved aside, an empty server in its place)', async (t) => {
  await pairWithRows(t);
  const parent = `/var/lib/postgresql/${version}`;
  const movedAside = () => readdirSync(parent).filter((e) => e.startsWith(`${env.cluster('slave')}.ha-install-`));
  const asideBefore = movedAside();
  const onMaster = await env.run('master', ['teardown', '--yes']);
  t.is(onMaster.exitCode, 0, onMaster.stderr.slice(-3000));
  t.regex(onMaster.stderr, /What was done:[\s\S]*Remove ha-install's block from .*pg_hba\.conf[\s\S]*Drop the replication role replicator/);
  const onStandby = await env.run('slave', ['teardown', '--yes']);
  t.is(onStandby.exitCode, 0, onStandby.stderr.slice(-3000));
  t.regex(onStandby.stderr, /the default for a standby: stopped, its data moved aside/);
  const aside = movedAside().filter((e) => !asideBefore.includes(e));
  t.is(aside.length, 1, 'the standby\'s data directory was moved aside, not deleted');
  t.true(existsSync(join(parent, aside[0]!, 'base')), 'and it is whole');
  await bothStartOnTheirOwn(t);
  t.is(await count('master'), '1000', 'every row on the master');
  t.is((await env.psql('slave', "SELECT to_regclass('ledger') IS NULL")).out, 't', 'the standby is an empty server now');
  await nothingLeft(t, 'master');
  await secondTeardownChangesNothing(t);
});

test.serial('a broken pair (the master killed): teardown --keep-data on the standby, then on the dead master; both keep every row', async (t) => {
  t.is((await env.down()).exitCode, 0);
  await pairWithRows(t);
  const pid = postmasterPid(env.dataDir('master'));
  await crash(env, 'master');
  // Reaped, not only dead: a zombie's pid still holds the socket's lock file against a new postmaster.
  t.true(await eventually(async () => !existsSync(`/proc/${pid}`), 30_000));
  const onStandby = await env.run('slave', ['teardown', '--keep-data', '--yes']);
  t.is(onStandby.exitCode, 0, onStandby.stderr.slice(-3000));
  t.regex(onStandby.stderr, /Promote this standby: it becomes a server of its own, with its data/);
  t.is(await inRecovery('slave'), 'f');
  const onMaster = await env.run('master', ['teardown', '--yes']);
  t.is(onMaster.exitCode, 0, onMaster.stderr.slice(-3000));
  await bothStartOnTheirOwn(t);
  t.is(await count('master'), '1000');
  t.is(await count('slave'), '1000');
  for (const node of ['master', 'slave'] as const) await nothingLeft(t, node);
  await secondTeardownChangesNothing(t);
});
