import test from 'ava';
import { execa } from 'execa';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describeCluster, postmasterAlive, type ClusterRef } from '../../installers/postgresql/cluster.js';
import { startCluster } from '../../installers/postgresql/start.js';
import { ApplyError } from '../../src/system/errors.js';
import { installedVersion, testLogger } from '../helpers/postgresql.js';

/**
 * Starting a real cluster without systemd (installers/postgresql/start.ts): pg_ctl directly,
 * a failed start reported with the server's own words, and what only pg_ctlcluster honours
 * handed back to it. Its own cluster and port (5442), on the Unix socket only.
 */

const version = installedVersion();
const ref: ClusterRef = { version, name: 'ha-test-start' };
const conf = `/etc/postgresql/${version}/${ref.name}`;
const dataDir = `/var/lib/postgresql/${version}/${ref.name}`;
const log = testLogger('pg-start');

test.before(async () => {
  await execa('pg_dropcluster', ['--stop', String(version), ref.name], { reject: false });
  rmSync(conf, { recursive: true, force: true });
  await execa('pg_createcluster', [String(version), ref.name, '--port', '5442', '--socketdir', `/var/run/postgresql/${ref.name}`]);
});

test.after.always(async () => {
  await execa('pg_dropcluster', ['--stop', String(version), ref.name], { reject: false });
  rmSync(conf, { recursive: true, force: true });
});

test.serial('a setting the server rejects: the start fails at once, quoting the server log', async (t) => {
  mkdirSync(`${conf}/conf.d`, { recursive: true });
  writeFileSync(`${conf}/conf.d/zz-broken.conf`, "shared_buffers = 'lots'\n");
  const started = Date.now();
  const error = await t.throwsAsync(startCluster(await describeCluster(ref, log), 'none', log));
  t.true(error instanceof ApplyError);
  t.regex(error?.message ?? '', /stopped while starting/);
  t.regex(error?.message ?? '', /invalid value for parameter "shared_buffers": "lots"/);
  t.true(Date.now() - started < 10_000, 'no wait for a timeout');
  t.false(postmasterAlive(dataDir));
  rmSync(`${conf}/conf.d/zz-broken.conf`);
});

test.serial('a good configuration starts through pg_ctl, not pg_ctlcluster, and is ready when the call returns', async (t) => {
  await startCluster(await describeCluster(ref, log), 'none', log);
  t.true(postmasterAlive(dataDir));
  const status = readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[7]?.trim();
  t.is(status, 'ready');
  t.true((await describeCluster(ref, log)).running, 'pg_lsclusters agrees');
  t.regex(readFileSync(log.path!, 'utf8'), /\$ runuser -u postgres -- env -i .*\/bin\/pg_ctl start -W/);
  await execa('pg_ctlcluster', [String(version), ref.name, 'stop']);
  t.false(postmasterAlive(dataDir), 'pg_ctlcluster stops what pg_ctl started');
});

test.serial('start.conf "disabled" goes to pg_ctlcluster, which refuses in its own words', async (t) => {
  const startConf = `${conf}/start.conf`;
  const before = readFileSync(startConf, 'utf8');
  writeFileSync(startConf, 'disabled\n');
  try {
    const error = await t.throwsAsync(startCluster(await describeCluster(ref, log), 'none', log));
    t.regex(error?.message ?? '', /Cluster is disabled/);
    t.regex(readFileSync(log.path!, 'utf8'), /with pg_ctlcluster: start\.conf says disabled/);
  } finally {
    writeFileSync(startConf, before);
  }
});
