import test from 'ava';
import { snapshot } from '../helpers/cli.js';
import { DemoEnv, pgCtlCluster } from '../helpers/demo.js';
import { useDemo } from '../helpers/demo-hooks.js';
import { cutNetwork, healNetwork } from '../helpers/switch-client.js';

/**
 * switchover refuses what it must on a demo pair (master 127.0.0.11, slave 127.0.0.12), from
 * either node: exit 2, what is wrong and the fix, nothing changed. And its dry run shows the
 * steps of both nodes and changes nothing.
 */

const env = new DemoEnv({ prefix: 't_sr', port: 5611 });
const both = () => snapshot([env.confDir('master'), env.confDir('slave'), `${env.dataDir('master')}/standby.signal`, `${env.dataDir('slave')}/standby.signal`, env.nodeDir('master'), env.nodeDir('slave')]);
const roles = async () => [(await env.psql('master', 'SELECT pg_is_in_recovery()')).out, (await env.psql('slave', 'SELECT pg_is_in_recovery()')).out].join(',');

useDemo(test, env, { down: healNetwork });

test.serial('--dry-run on the master and on the standby: the steps of both nodes, nothing changed', async (t) => {
  const before = both();
  const onMaster = await env.run('master', ['switchover', '--dry-run']);
  t.is(onMaster.exitCode, 0, onMaster.stderr);
  const master = onMaster.stdout + onMaster.stderr;
  t.regex(master, /Stop this node cleanly \(its last WAL goes to 127\.0\.0\.12\)/);
  t.regex(master, /Promote 127\.0\.0\.12: it becomes the primary \(SQL on 127\.0\.0\.12:5611 as replicator\)/);
  t.regex(master, /pg_controldata .*"shut down", its latest checkpoint X/);
  t.regex(master, /Start this node as the standby of 127\.0\.0\.12/);
  const onStandby = await env.run('slave', ['switchover', '--dry-run']);
  t.is(onStandby.exitCode, 0, onStandby.stderr);
  const standby = onStandby.stdout + onStandby.stderr;
  t.regex(standby, /on 127\.0\.0\.11: SELECT ha_install\.switchover_demote\(false\)/);
  t.regex(standby, /Promote 127\.0\.0\.12 \(this node\): it becomes the primary \(SQL on 15\/t_sr_12\)/);
  t.is(both(), before);
  t.is(await roles(), 'f,t');
});

test.serial('the standby stopped: refused on the master, naming the peer and the fix', async (t) => {
  await pgCtlCluster(env, 'slave', 'stop');
  try {
    const before = both();
    const result = await env.run('master', ['switchover', '--yes']);
    t.is(result.exitCode, 2, result.stderr);
    t.regex(result.stderr, /The switchover is refused: nothing was changed/);
    t.regex(result.stderr, /network: the peer 127\.0\.0\.12:5611: does not answer \(refused/);
    t.regex(result.stderr, /start the standby/);
    t.is(both(), before);
  } finally {
    await pgCtlCluster(env, 'slave', 'start');
  }
});

test.serial('the standby lagging beyond recovery.max-lag-mb: refused, naming the field', async (t) => {
  await env.psql('slave', 'SELECT pg_wal_replay_pause()');
  try {
    await env.psql('master', "CREATE TABLE lag_filler AS SELECT g, repeat('x', 1000) AS pad FROM generate_series(1, 40000) g");
    const before = both();
    for (const node of ['master', 'slave'] as const) {
      const result = await env.run(node, ['switchover', '--yes']);
      t.is(result.exitCode, 2, result.stderr);
      t.regex(result.stderr, /recovery\.max-lag-mb: replication: streaming, the standby is \d+\.\d MB behind/);
      t.regex(result.stderr, /wait until the standby has caught up/);
    }
    t.is(both(), before);
  } finally {
    await env.psql('slave', 'SELECT pg_wal_replay_resume()');
    await env.psql('master', 'DROP TABLE lag_filler');
  }
});

test.serial('the network cut between the nodes: refused on both; on the standby it names promote', async (t) => {
  const before = both();
  await cutNetwork();
  try {
    const onMaster = await env.run('master', ['switchover', '--yes']);
    t.is(onMaster.exitCode, 2, onMaster.stderr);
    t.regex(onMaster.stderr, /the peer 127\.0\.0\.12:5611: does not answer \(timeout/);
    const onStandby = await env.run('slave', ['switchover', '--yes']);
    t.is(onStandby.exitCode, 2, onStandby.stderr);
    t.regex(onStandby.stderr, /the master does not answer: if it is dead, `ha-install promote` on this node is the command/);
  } finally {
    await healNetwork();
  }
  t.is(both(), before);
  t.is(await roles(), 'f,t');
});
