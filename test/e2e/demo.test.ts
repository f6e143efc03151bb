import test from 'ava';
import { execa } from 'execa';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, snapshot } from '../helpers/cli.js';
import { clusterName, clusterPrefix, confDir, dataDir, DemoEnv, port, eventually, machineState, psql, version, type StatusJson } from '../helpers/demo.js';
import { acquireLoopbackLock, releaseLoopbackLock } from '../helpers/loopback-lock.js';
import { monitorConfigPath } from '../../installers/monitor/config.js';

/**
 * `ha-install demo` through the real binary, with a temporary --state-dir and --log-dir: the
 * pair comes up healthy, data flows, a second run changes nothing, `status` tells a broken
 * pair, a wrong password is refused before any change, no secret is written anywhere, and
 * `demo --down` leaves the machine as it was. The tests run in order on one pair.
 */

// As the README's command runs it: automatic failover on (the monitors and the witness run too).
const env = new DemoEnv({ prefix: clusterPrefix, port, automatic: true });
let before: Record<string, string> | undefined;

test.before(async (t) => {
  t.timeout(6 * 60_000); // the lock may wait for the other files that use 127.0.0.11/12
  await acquireLoopbackLock({ log: (line) => t.log(line) });
  await env.clearLeftovers();
  before = await machineState();
});

test.after.always(async () => {
  try {
    await env.cleanup();
  } finally {
    releaseLoopbackLock();
  }
});

test.serial('demo builds a healthy pair in under 60 s', async (t) => {
  const result = await env.demo();
  t.is(result.exitCode, 0, result.stderr.slice(-3000));
  t.regex(result.stdout, /The pair is healthy\./);
  const seconds = Number(/Demo ready in ([\d.]+) s/.exec(result.stdout)?.[1]);
  t.log(`demo: pair ready in ${seconds} s`);
  t.true(seconds < 60, `the demo took ${seconds} s`);
  for (const file of ['master.yaml', 'slave.yaml', 'balancer.yaml', 'backup-password', 'pgpass']) t.is(statSync(join(env.demoDir, file)).mode & 0o777, 0o600, file);
  for (const node of ['master', 'slave'] as const) {
    const monitor = JSON.parse(readFileSync(monitorConfigPath({ version, name: clusterName[node] }), 'utf8')) as { pingGateway?: boolean; pingTargets: string[] };
    t.like(monitor, { pingGateway: false, pingTargets: [] }, `${node}: the demo's monitors ping nothing off loopback (not the host's gateway)`);
  }
});

test.serial('status exits 0 and --json shows primary + standby with an active slot', async (t) => {
  const text = await env.cli(['status']);
  t.is(text.exitCode, 0, text.stdout + text.stderr);
  t.regex(text.stdout, /The pair is healthy/);
  const json = await env.cli(['status', '--json']);
  t.is(json.exitCode, 0, json.stderr);
  const report = JSON.parse(json.stdout) as StatusJson;
  t.true(report.healthy);
  t.deepEqual(
    report.nodes.map((n) => n.status.role),
    ['balancer', 'primary', 'standby'],
  );
  t.like(report.nodes[1]!.status, { healthy: true, replication: 'streaming', slot: { name: 'ha_slave', active: true } });
  t.like(report.nodes[2]!.status, { healthy: true, replication: 'streaming' });
});

test.serial('a table created on the master appears on the slave, which is read-only', async (t) => {
  await psql('master', 'CREATE TABLE demo_probe AS SELECT g AS n FROM generate_series(1, 1000) g');
  t.true(await eventually(async () => (await psql('slave', 'SELECT count(*) || \'|\' || sum(n) FROM demo_probe', { reject: false })).out === '1000|500500'));
  const write = await psql('slave', 'INSERT INTO demo_probe VALUES (0)', { reject: false });
  t.not(write.exitCode, 0);
  t.regex(write.err, /read-only transaction/);
});

test.serial('a second demo run changes nothing: same files, no restart, every file action unchanged', async (t) => {
  const confs = [confDir('master'), confDir('slave')];
  const files = snapshot(confs);
  const started = { master: (await psql('master', 'SELECT pg_postmaster_start_time()')).out, slave: (await psql('slave', 'SELECT pg_postmaster_start_time()')).out };
  const result = await env.demo();
  t.is(result.exitCode, 0, result.stderr.slice(-3000));
  t.regex(result.stderr, /The demo pair is already up/);
  t.is(snapshot(confs), files, 'configuration files unchanged');
  t.is((await psql('master', 'SELECT pg_postmaster_start_time()')).out, started.master, 'master not restarted');
  t.is((await psql('slave', 'SELECT pg_postmaster_start_time()')).out, started.slave, 'slave not restarted');
  // "[3/7] Write /etc/.../ha-install.conf ... done (unchanged)": on both nodes the conf.d file, the pg_hba and
  // pg_ident blocks, .pgpass, the start guard, its settings and its pg_ctl.conf line, the agent's settings and its
  // registry entry, the monitor's settings and registry entry; on the slave also standby.signal; on the balancer
  // HAProxy's configuration and registry entry, the witness's settings and registry entry.
  const fileActions = result.stderr.split('\n').filter((l) => /^\[\d+\/\d+\] (Write|Allow|Store|Make|Mark|Let the OS user|Register) .* \.\.\. done/.test(l));
  t.is(fileActions.length, 27, fileActions.join('\n'));
  for (const line of fileActions) t.regex(line, /\(unchanged\)$/);
  const services = result.stderr.split('\n').filter((l) => /^\[\d+\/\d+\] Start .* \.\.\. done/.test(l));
  t.is(services.length, 6, 'both agents, both monitors, HAProxy and the witness');
  for (const line of services) t.regex(line, /\(already running\)$/);
  t.notRegex(result.stderr, /Clone the master|Move the old data directory|restarted|\(reloaded\)/);
  t.regex(result.stdout, /The pair is healthy\./);
});

test.serial('status exits 1 and names the problem while the slave is down', async (t) => {
  await execa('pg_ctlcluster', [String(version), clusterName.slave, 'stop']);
  try {
    const text = await env.cli(['status']);
    t.is(text.exitCode, 1);
    t.regex(text.stdout, /problem\s+PostgreSQL is not running/);
    t.regex(text.stdout, /problem\s+no standby is connected/);
    t.regex(text.stdout, /NOT healthy/);
    const json = await env.cli(['status', '--json']);
    t.is(json.exitCode, 1);
    const report = JSON.parse(json.stdout) as StatusJson;
    t.false(report.healthy);
    t.like(report.nodes[2]!.status, { role: 'down', problems: ['PostgreSQL is not running'] });
  } finally {
    await execa('pg_ctlcluster', [String(version), clusterName.slave, 'start']);
  }
  t.true(await eventually(async () => (await env.cli(['status'])).exitCode === 0, 30_000), 'healthy again after the start');
});

function slaveFiles(): string {
  const data = dataDir('slave');
  return JSON.stringify({
    conf: snapshot([confDir('slave')]),
    data: readdirSync(`/var/lib/postgresql/${version}`).filter((e) => e.startsWith(clusterName.slave)),
    pgVersion: readFileSync(`${data}/PG_VERSION`, 'utf8'),
    standby: existsSync(`${data}/standby.signal`),
  });
}

const wrongPassword = 'not-the-demo-password-7f3a';

test.serial('a wrong backup password via the CLI: exit 2 naming postgresql.backup-password, the slave unchanged', async (t) => {
  const passwordFile = join(env.root, 'wrong-password');
  writeFileSync(passwordFile, wrongPassword + '\n', { mode: 0o600 });
  chmodSync(passwordFile, 0o600);
  const answers = join(env.root, 'slave-wrong.yaml');
  const original = readFileSync(join(env.demoDir, 'slave.yaml'), 'utf8');
  t.regex(original, /backup-password: file:/);
  writeFileSync(answers, original.replace(/backup-password: .*/, `backup-password: file:${passwordFile}`), { mode: 0o600 });
  const files = slaveFiles();
  const started = (await psql('slave', 'SELECT pg_postmaster_start_time()')).out;
  const result = await runCli(env.slaveArgs(answers));
  t.is(result.exitCode, 2, result.stdout.slice(-2000) + result.stderr);
  t.regex(result.stderr, /postgresql\.backup-password/);
  t.regex(result.stderr, /nothing was changed/);
  t.is(slaveFiles(), files);
  t.true(JSON.parse(files).standby);
  t.is((await psql('slave', 'SELECT pg_postmaster_start_time()')).out, started, 'slave not restarted');
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile());
}

test.serial('no password in the saved answers, state, backups or logs', async (t) => {
  const password = env.password();
  t.true(password.length >= 16);
  const files = [...filesUnder(env.state), ...filesUnder(env.logs)].filter((f) => f !== join(env.demoDir, 'backup-password'));
  t.true(files.some((f) => f.endsWith('slave.yaml')) && files.filter((f) => f.endsWith('.log')).length >= 5, files.join('\n'));
  for (const file of files) {
    const content = readFileSync(file, 'utf8');
    t.false(content.includes(password), `the backup password is in ${file}`);
    t.false(content.includes(wrongPassword), `the wrong password is in ${file}`);
  }
  t.log(`${files.length} files checked`);
});

test.serial('demo --down restores addresses, routes, clusters and .pgpass exactly', async (t) => {
  const result = await env.down();
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stderr, /The demo is removed/);
  t.deepEqual(await machineState(), before);
  t.false(existsSync(env.demoDir));
  t.false(existsSync(env.state), 'the state folder the demo created is gone too');
  const again = await env.down();
  t.is(again.exitCode, 0);
  t.regex(again.stderr, /No demo pair is up/);
});
