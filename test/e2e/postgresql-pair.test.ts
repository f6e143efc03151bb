import test from 'ava';
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { AbortError } from '../../src/system/errors.js';
import type { ClusterRef } from '../../installers/postgresql/cluster.js';
import { demoDown, demoSocketDir, demoUp, type DemoState } from '../../installers/postgresql/demo.js';
import { planMaster, preflightMaster } from '../../installers/postgresql/master.js';
import { withPeer } from '../../installers/postgresql/remote.js';
import { planSlave, preflightSlave } from '../../installers/postgresql/slave.js';
import { sqlValue } from '../../installers/postgresql/sql.js';
import { readStatus } from '../../installers/postgresql/status.js';
import { acquireLoopbackLock, releaseLoopbackLock } from '../helpers/loopback-lock.js';
import { removeServices } from '../helpers/cli.js';
import { agentServiceName } from '../../installers/agent/config.js';
import { apply, context, installedVersion, pairAnswers, testLogger } from '../helpers/postgresql.js';

/**
 * A real master (127.0.0.11) and slave (127.0.0.12) on one machine, built with the installer's
 * own plans and the real engine. Port 5441 and clusters ha-test-* so the demo (5440) can run
 * alongside. The tests run in order: each builds on the previous one.
 */

const version = installedVersion();
const port = 5441;
// ':' and '\' test .pgpass escaping; 'ü', the no-break space and the 'ﬁ' ligature test SASLprep.
const password = 'aqwe123@:\\ü\u00a0ﬁ-Pw';
const pgpassPath = '/var/lib/postgresql/.pgpass-ha-test';
const masterRef: ClusterRef = { version, name: 'ha-test-master' };
const slaveRef: ClusterRef = { version, name: 'ha-test-slave' };
const log = testLogger('pg-pair');
let state: DemoState | undefined;

const ourVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const common = { pgVersion: version, pgPort: port, agentPort: 5465, backupPassword: { source: 'plain' as const, value: password } };
/** The agents the installs start: removed with the pair. */
const agents = [agentServiceName(masterRef), agentServiceName(slaveRef)];
// Synchronous from the start, the demanding case: nothing may wait for a slave not yet there.
const masterCtx = async (extra = {}) =>
  context(pairAnswers({ ...common, mode: 'master', synchronous: true, pgCluster: masterRef.name, pgSocketDir: demoSocketDir(masterRef.name), ...extra }), log, { pgpassPath });
const slaveCtx = async (extra = {}, buildVersion?: string) =>
  context(pairAnswers({ ...common, mode: 'slave', pgCluster: slaveRef.name, pgSocketDir: demoSocketDir(slaveRef.name), ...extra }), log, { pgpassPath, buildVersion });

test.before(async (t) => {
  t.timeout(6 * 60_000); // the lock may wait for the demo tests, which share 127.0.0.11/12
  await acquireLoopbackLock({ log: (line) => t.log(line) });
  await removeServices(agents); // what a crashed earlier run left
  await demoDown({ loopback: [], clusters: [masterRef, slaveRef] }, log);
  state = await demoUp({ version, port, master: { address: '127.0.0.11', cluster: masterRef.name }, slave: { address: '127.0.0.12', cluster: slaveRef.name }, extraAddresses: ['127.0.0.13'] }, log);
});

test.after.always(async () => {
  try {
    await removeServices(agents);
    if (state) await demoDown(state, log);
    rmSync(pgpassPath, { force: true });
  } finally {
    releaseLoopbackLock();
  }
});

const startTime = () => sqlValue(masterRef, 'SELECT pg_postmaster_start_time()', log);

test.serial('master install: settings live, role, events table, slot', async (t) => {
  // Running, as a master with data usually is: the new settings need one restart, no more.
  await execa('pg_ctlcluster', [String(version), masterRef.name, 'start']);
  const ctx = await masterCtx();
  const { rows } = await preflightMaster(ctx);
  t.deepEqual(rows.filter((r) => r.verdict === 'fail'), []);
  const notes = await apply('master', await planMaster(ctx), log);
  t.true(notes.includes('postgresql.apply-settings: restarted for listen_addresses, wal_log_hints'), notes.join('\n'));
  t.is(await sqlValue(masterRef, `SELECT current_setting('wal_log_hints') || current_setting('listen_addresses')`, log), 'on127.0.0.11');
  t.is(await sqlValue(masterRef, `SELECT current_setting('ha_install.version')`, log), ourVersion);
  t.is(await sqlValue(masterRef, `SELECT rolreplication FROM pg_roles WHERE rolname = 'replicator'`, log), 't');
  t.is(await sqlValue(masterRef, `SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'ha_slave'`, log), '1');
  t.regex((await sqlValue(masterRef, `SELECT rolpassword FROM pg_authid WHERE rolname = 'replicator'`, log)) ?? '', /^SCRAM-SHA-256\$4096:/);
});

test.serial('master re-run: one hba block, no error, no restart', async (t) => {
  const before = await startTime();
  const verifier = await sqlValue(masterRef, `SELECT rolpassword FROM pg_authid WHERE rolname = 'replicator'`, log);
  const notes = await apply('master again', await planMaster(await masterCtx()), log);
  const hba = readFileSync(`/etc/postgresql/${version}/${masterRef.name}/pg_hba.conf`, 'utf8');
  t.is(hba.split('# BEGIN ha-install').length - 1, 1);
  t.is(await startTime(), before, 'postmaster start time unchanged');
  t.is(await sqlValue(masterRef, `SELECT rolpassword FROM pg_authid WHERE rolname = 'replicator'`, log), verifier, 'password left alone');
  t.true(notes.some((n) => n.includes('reloaded, no restart needed')), notes.join('\n'));
});

function slaveSnapshot(): string {
  const conf = `/etc/postgresql/${version}/${slaveRef.name}`;
  const data = `/var/lib/postgresql/${version}`;
  return JSON.stringify({
    conf: readdirSync(`${conf}/conf.d`),
    hba: readFileSync(`${conf}/pg_hba.conf`, 'utf8'),
    data: readdirSync(data).filter((e) => e.startsWith(slaveRef.name)),
    pgversion: statSync(`${data}/${slaveRef.name}/PG_VERSION`).mtimeMs,
    pgpass: existsSync(pgpassPath) ? readFileSync(pgpassPath, 'utf8') : undefined,
  });
}

test.serial('wrong backup password: preflight and plan name the field, nothing changes on the slave', async (t) => {
  const ctx = await slaveCtx({ backupPassword: { source: 'plain', value: 'not-the-password' } });
  const before = slaveSnapshot();
  const { rows } = await preflightSlave(ctx);
  const login = rows.find((r) => r.name === 'replication login');
  t.is(login?.verdict, 'fail');
  t.regex(login?.fix ?? '', /postgresql\.backup-password/);
  const error = await t.throwsAsync(async () => apply('slave', await planSlave(ctx), log));
  t.true(error instanceof AbortError);
  t.regex(error?.message ?? '', /postgresql\.backup-password: the master 127\.0\.0\.11 refused the password/);
  t.is(slaveSnapshot(), before);
});

test.serial('another ha-install build or a missing slot fails the slave preflight', async (t) => {
  const { rows } = await preflightSlave(await slaveCtx({ slotName: 'no_such_slot' }, '9.9.9'));
  t.like(rows.find((r) => r.name === 'ha-install version'), { verdict: 'fail', measured: `master ${ourVersion}, this one 9.9.9` });
  t.like(rows.find((r) => r.name === 'replication slot'), { verdict: 'fail', measured: 'no_such_slot missing' });
  t.like(rows.find((r) => r.name === 'PostgreSQL version'), { verdict: 'ok' });
});

test.serial('a PostgreSQL major that differs from the master\'s, or a disk too small for the clone, fails the slave preflight', async (t) => {
  // A second major is not installed here: the slave is told it runs version - 1, as a slave
  // with older packages would. The disk is the recorded 1 MB a full disk would show.
  const older = await slaveCtx({ pgVersion: version - 1 });
  const mismatch = (await preflightSlave(older)).rows.find((r) => r.name === 'PostgreSQL version');
  t.like(mismatch, { verdict: 'fail', field: 'postgresql.version', measured: `master ${version}, this server ${version - 1}` });
  const full = await slaveCtx();
  full.facts = { ...full.facts, disk: { ...full.facts.disk, freeBytes: 1024 * 1024 } };
  const disk = (await preflightSlave(full)).rows.find((r) => r.name === 'free disk for the clone');
  t.is(disk?.verdict, 'fail');
  t.regex(disk!.fix!, /free .* on /);
});

test.serial('slave install: clone, streaming, marker row; password never in ps, log or postgresql.auto.conf', async (t) => {
  const ctx = await slaveCtx();
  const { rows } = await preflightSlave(ctx);
  t.deepEqual(rows.filter((r) => r.verdict !== 'ok'), []);
  // What a clone killed with -9 leaves behind: the plan removes it and clones again.
  const partial = `/var/lib/postgresql/${version}/${slaveRef.name}.partial`;
  mkdirSync(`${partial}/base`, { recursive: true });
  const actions = await planSlave(ctx);
  t.deepEqual(
    actions.map((a) => a.id).filter((id) => /partial|clone|stop|move-aside/.test(id)),
    ['postgresql.remove-partial', 'postgresql.clone', 'postgresql.move-aside', 'postgresql.clone-in-place'],
  );
  const ps = execa('sh', ['-c', 'while :; do ps -eww -o args; sleep 0.02; done'], { reject: false, buffer: true, maxBuffer: 1e9 });
  const started = Date.now();
  let notes: string[];
  try {
    notes = await apply('slave', actions, log, { backupPassword: password });
  } finally {
    ps.kill(); // a failed apply must not leave the sampler running: the test file would never end
  }
  t.log(`slave apply ${Date.now() - started} ms; ${notes.filter((n) => /clone|apply-settings|verify/.test(n)).join('; ')}`);
  const seen = String((await ps).stdout);
  t.true(seen.includes('pg_basebackup'), 'the sampler saw the clone');
  t.false(seen.includes('aqwe123'), 'password not in any argv');
  const auto = readFileSync(`/var/lib/postgresql/${version}/${slaveRef.name}/postgresql.auto.conf`, 'utf8');
  t.false(auto.includes('aqwe123'));
  t.false(auto.includes('primary_conninfo'), 'no standby settings in postgresql.auto.conf: clones and rewinds copy that file');
  const conf = readFileSync(`/etc/postgresql/${version}/${slaveRef.name}/conf.d/ha-install.conf`, 'utf8');
  t.regex(conf, /^primary_conninfo = 'host=127\.0\.0\.11 port=5441 user=replicator passfile=\/var\/lib\/postgresql\/\.pgpass-ha-test application_name=ha_slave'$/m);
  t.false(conf.includes('aqwe123'));
  t.false(readFileSync(log.path!, 'utf8').includes('aqwe123'), 'password not in the log');
  t.is(statSync(pgpassPath).mode & 0o777, 0o600);
  t.is(await sqlValue(slaveRef, `SELECT status FROM pg_stat_wal_receiver`, log), 'streaming');
  t.is(await sqlValue(slaveRef, `SELECT count(*) FROM ha_install.events WHERE event = 'slave-verified'`, log), '1');
});

test.serial('slave re-run on a streaming standby skips the clone', async (t) => {
  const actions = await planSlave(await slaveCtx());
  t.false(actions.some((a) => a.id === 'postgresql.clone' || a.kind === 'move-aside'));
  await apply('slave again', actions, log, { backupPassword: password });
  t.is(await sqlValue(slaveRef, `SELECT count(*) FROM ha_install.events WHERE event = 'slave-verified'`, log), '2');
});

test.serial('an outsider (127.0.0.13) is refused by pg_hba; the slave address is not', async (t) => {
  const login = { host: '127.0.0.11', port, user: 'replicator', password, replication: true };
  const error = await t.throwsAsync(withPeer({ ...login, localAddress: '127.0.0.13' }, (c) => c.query('IDENTIFY_SYSTEM')));
  t.is((error as { code?: string }).code, '28000');
  t.regex(error?.message ?? '', /no pg_hba\.conf entry for replication connection from host "127\.0\.0\.13"/);
  const identity = await withPeer({ ...login, localAddress: '127.0.0.12' }, (c) => c.query('IDENTIFY_SYSTEM'));
  t.is(identity.rows.length, 1);
});

test.serial('status on both nodes', async (t) => {
  const master = await readStatus({ cluster: masterRef, slotName: 'ha_slave', log });
  t.like(master, { role: 'primary', peer: '127.0.0.12', replication: 'streaming', healthy: true, slot: { name: 'ha_slave', active: true } });
  t.is(master.lastEvent?.event, 'slave-verified');
  t.is(await sqlValue(masterRef, `SELECT count(*) FROM ha_install.events WHERE event = 'installed' AND node = '127.0.0.12' AND detail LIKE 'slave, %'`, log), '1', 'the slave recorded its install in the pair\'s history on the master, once');
  const slave = await readStatus({ cluster: slaveRef, log });
  t.like(slave, { role: 'standby', peer: '127.0.0.11', replication: 'streaming', healthy: true, timeline: 1 });
});

test.serial('without systemd both servers were started by pg_ctl as pg_ctlcluster would: own session, cleared environment, its pid file', async (t) => {
  const started = readFileSync(log.path!, 'utf8').split('\n').filter((l) => l.includes('/bin/pg_ctl start'));
  t.true(started.length >= 2, `pg_ctl started the master (restart) and the slave:\n${started.join('\n')}`);
  t.false(started.some((l) => l.includes('pg_ctlcluster')));
  for (const ref of [masterRef, slaveRef]) {
    const pid = Number(readFileSync(`/var/lib/postgresql/${version}/${ref.name}/postmaster.pid`, 'utf8').split('\n')[0]);
    const session = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[3]); // state ppid pgrp session
    t.is(session, pid, `${ref.name}: the postmaster leads its own session (no terminal signal reaches it)`);
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((e) => e.split('=')[0]);
    // What pg_ctlcluster leaves (LANG, PG_OOM_ADJUST_FILE) and what pg_ctl and sh add; nothing of ours (PATH, HOME, the test's env).
    t.deepEqual(environ.filter((name) => !['LANG', 'PG_OOM_ADJUST_FILE', 'PG_GRANDPARENT_PID', 'PGLOCALEDIR', 'PGSYSCONFDIR', 'PGDATA', 'PWD'].includes(name)), [], ref.name);
    t.is(readFileSync(`/var/run/postgresql/${version}-${ref.name}.pid`, 'utf8').split('\n')[0], String(pid), `${ref.name}: external pid file`);
  }
});

test.serial('synchronous: the slave is the synchronous standby; a re-run switches to asynchronous without a restart', async (t) => {
  const syncState = () => sqlValue(masterRef, `SELECT sync_state FROM pg_stat_replication WHERE application_name = 'ha_slave'`, log);
  t.is(await syncState(), 'sync');
  t.is(await sqlValue(masterRef, `INSERT INTO ha_install.events (event) VALUES ('sync write') RETURNING event`, log), 'sync write');
  const before = await startTime();
  await apply('master asynchronous', await planMaster(await masterCtx({ synchronous: false })), log);
  t.is(await startTime(), before);
  t.is(await syncState(), 'async');
});
