import test from 'ava';
import { execa } from 'execa';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, snapshot } from '../helpers/cli.js';
import { DemoEnv, pgCtlCluster, version } from '../helpers/demo.js';
import { useDemo } from '../helpers/demo-hooks.js';

/**
 * promote and restore-master refuse what they must, on a healthy demo pair (master 127.0.0.11,
 * slave 127.0.0.12): exit 2, a message naming what was wrong and the fix, nothing changed.
 */

const env = new DemoEnv({ prefix: 't_rr', port: 5461 });
const both = () => snapshot([env.confDir('master'), env.confDir('slave'), `${env.dataDir('master')}/standby.signal`, `${env.dataDir('slave')}/standby.signal`]);
const roles = async () => [(await env.psql('master', 'SELECT pg_is_in_recovery()')).out, (await env.psql('slave', 'SELECT pg_is_in_recovery()')).out].join(',');

useDemo(test, env);

test.serial('promote while the master is alive and writable: exit 2, says how to switch or force, nothing changed', async (t) => {
  const before = both();
  const result = await env.run('slave', ['promote', '--yes']);
  t.is(result.exitCode, 2, result.stderr);
  t.regex(result.stderr, /The promote is refused: nothing was changed/);
  t.regex(result.stderr, /--force: the master 127\.0\.0\.11:5461: a writable primary/);
  t.regex(result.stderr, /two primaries.*--force --reason TEXT/s);
  t.is(both(), before);
  t.is(await roles(), 'f,t');
});

test.serial('promote --force without a reason is refused before anything is looked at', async (t) => {
  const result = await env.run('slave', ['promote', '--yes', '--force']);
  t.is(result.exitCode, 2, result.stderr);
  t.regex(result.stderr, /--reason: is missing/);
  t.is(await roles(), 'f,t');
});

test.serial('promote on the master: exit 2, it is already the primary', async (t) => {
  const result = await env.run('master', ['promote', '--yes']);
  t.is(result.exitCode, 2, result.stderr);
  t.regex(result.stderr, /this node: primary/);
  t.regex(result.stderr, /already the primary/);
});

test.serial('promote or restore-master on a node that is not part of a pair: exit 2 naming the state file', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'ha-no-pair-'));
  for (const [command, ...extra] of [['promote'], ['restore-master', '--master-ip', '127.0.0.11', '--answers', join(env.demoDir, 'secrets.yaml')]]) {
    const result = await runCli([command!, ...extra, '--state-dir', empty, '--log-dir', join(empty, 'logs'), '--yes']);
    t.is(result.exitCode, 2, `${command}: ${result.stderr}`);
    t.regex(result.stderr, new RegExp(`not part of an ha-install pair: nothing to ${command}`));
    t.regex(result.stderr, /state\.json: no node state here/);
  }
});

test.serial('restore-master against a standby, against itself, and onto a node that is not the peer: exit 2 naming master-ip', async (t) => {
  const before = both();
  const standby = await env.run('master', ['restore-master', '--master-ip', '127.0.0.12', '--yes']);
  t.is(standby.exitCode, 2, standby.stderr);
  t.regex(standby.stderr, /master-ip: new master role: 127\.0\.0\.12 is a standby/);
  t.regex(standby.stderr, /run `ha-install promote` on 127\.0\.0\.12 first/);
  const itself = await env.run('master', ['restore-master', '--master-ip', '127.0.0.11', '--yes']);
  t.is(itself.exitCode, 2, itself.stderr);
  t.regex(itself.stderr, /master-ip: 127\.0\.0\.11 is this node itself/);
  const stranger = await env.run('master', ['restore-master', '--master-ip', '127.0.0.13', '--yes']);
  t.is(stranger.exitCode, 2, stranger.stderr);
  t.regex(stranger.stderr, /127\.0\.0\.13 is not the other node of this pair/);
  t.is(both(), before);
  t.is(await roles(), 'f,t');
});

test.serial('restore-master with a wrong password: exit 2 naming postgresql.backup-password, the password never printed', async (t) => {
  const file = join(env.root, 'wrong-password');
  writeFileSync(file, 'Not-the-pair-password-42\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  const answers = join(env.root, 'wrong.yaml');
  writeFileSync(answers, `postgresql:\n  backup-password: file:${file}\n`, { mode: 0o600 });
  const before = both();
  const result = await env.run('slave', ['restore-master', '--master-ip', '127.0.0.11', '--answers', answers, '--yes']);
  t.is(result.exitCode, 2, result.stderr);
  t.regex(result.stderr, /postgresql\.backup-password: replication login: the new master 127\.0\.0\.11 refused the password of replicator/);
  t.false((result.stdout + result.stderr).includes('Not-the-pair-password-42'));
  t.is(both(), before);
});

test.serial('restore-master on a standby already streaming from the master: exit 0, nothing to do', async (t) => {
  const before = both();
  const result = await env.run('slave', ['restore-master', '--master-ip', '127.0.0.11', '--yes']);
  t.is(result.exitCode, 0, result.stderr);
  t.regex(result.stderr, /Nothing to do: this node already streams from 127\.0\.0\.11/);
  t.is(both(), before);
});

test.serial('restore-master while the new master is unreachable: exit 2 naming master-ip', async (t) => {
  await pgCtlCluster(env, 'master', 'stop');
  try {
    const result = await env.run('slave', ['restore-master', '--master-ip', '127.0.0.11', '--yes']);
    t.is(result.exitCode, 2, result.stderr);
    t.regex(result.stderr, /master-ip: new master reachable: 127\.0\.0\.11:5461: refused/);
  } finally {
    await pgCtlCluster(env, 'master', 'start');
  }
});

test.serial('restore-master onto a primary of another database (another system identifier): exit 2, never rewound onto it', async (t) => {
  // 127.0.0.12 is taken over by a fresh cluster of its own: a primary, the same role and password, another system.
  const other = `t_rr_other`;
  const conf = `/etc/postgresql/${version}/${other}`;
  await pgCtlCluster(env, 'slave', 'stop');
  try {
    await execa('pg_createcluster', [String(version), other, '--port', '5461', '--socketdir', `/var/run/postgresql/${other}`]);
    writeFileSync(`${conf}/conf.d/listen.conf`, "listen_addresses = '127.0.0.12'\npassword_encryption = 'scram-sha-256'\n");
    writeFileSync(`${conf}/pg_hba.conf`, `local all postgres peer\nhost replication replicator 127.0.0.11/32 scram-sha-256\nhost postgres replicator 127.0.0.11/32 scram-sha-256\n`);
    await execa('pg_ctlcluster', [String(version), other, 'start']);
    await execa('runuser', ['-u', 'postgres', '--', 'psql', '-X', '-h', `/var/run/postgresql/${other}`, '-p', '5461', '-c', `CREATE ROLE replicator LOGIN REPLICATION PASSWORD '${env.password().replaceAll("'", "''")}'`], { cwd: '/' });
    const before = both();
    const result = await env.run('master', ['restore-master', '--master-ip', '127.0.0.12', '--yes']);
    t.is(result.exitCode, 2, result.stderr);
    t.regex(result.stderr, /master-ip: system identifier: 127\.0\.0\.12: \d+, this node: \d+/);
    t.regex(result.stderr, /holds another database: never rewind onto it/);
    t.is(both(), before);
  } finally {
    await execa('pg_dropcluster', ['--stop', String(version), other], { reject: false });
    rmSync(conf, { recursive: true, force: true });
    rmSync(`/var/run/postgresql/${other}`, { recursive: true, force: true });
    await pgCtlCluster(env, 'slave', 'start');
  }
  t.is(await roles(), 'f,t');
});
