import test from 'ava';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { agent, processesWith, supervisedChild } from '../helpers/balancer.js';
import { DemoEnv, eventually, pgCtlCluster, postmasterPid, version } from '../helpers/demo.js';
import { useDemo } from '../helpers/demo-hooks.js';

/**
 * The health agent on a real demo pair, through HTTP as HAProxy asks it: its answer with the
 * node primary, standby, lagging past ?lag=, down, stalled (SIGSTOP of the postmaster, then of
 * the agent's own backend), fenced; HEAD and OPTIONS; kill -9 of the agent and its supervisor
 * starts it again; `service stop` and `demo --down` leave nothing running.
 */

const env = new DemoEnv({ prefix: 't_ag', port: 5480, balancerPort: 5481, agentPort: 5482, statsPort: 5483 });
const [master, slave] = ['127.0.0.11', '127.0.0.12'];
const ask = (host: string, path: string, method?: string) => agent(host, env.ports.agent, path, method);
const slaveAgent = () => env.serviceNames()[1]!;

useDemo(test, env);

test.serial('primary and standby: /primary, /replica, /read-only, /health each say the role; HEAD and OPTIONS answer without a body', async (t) => {
  const statuses = async (host: string) => Promise.all(['/primary', '/replica', '/read-only', '/health'].map(async (p) => (await ask(host, p)).status));
  t.deepEqual(await statuses(master), [200, 503, 200, 200]);
  t.deepEqual(await statuses(slave), [503, 200, 200, 200]);
  const body = (await ask(slave, '/replica')).body;
  t.like(body, { role: 'replica', replication_state: 'streaming', fenced: false, cluster: `${version}/${env.cluster('slave')}` });
  for (const method of ['HEAD', 'OPTIONS']) {
    const r = await ask(master, '/primary', method);
    t.is(r.status, 200, method);
    t.is(r.raw, '', `${method} has no body`);
  }
  t.is((await ask(master, '/primary', 'POST')).status, 405, 'read-only: no other method');
  t.is((await ask(master, '/nothing')).status, 404);
});

test.serial('a standby lagging past ?lag= answers 503 there and 200 without the limit', async (t) => {
  await env.psql('slave', 'SELECT pg_wal_replay_pause()');
  try {
    await env.psql('master', `CREATE TABLE lag_probe AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 20000) g`);
    t.true(await eventually(async () => (await ask(slave, '/replica?lag=1MB')).status === 503, 20_000), 'the lag shows');
    const lagging = await ask(slave, '/replica?lag=1MB');
    t.true(Number(lagging.body.lag_bytes) > 1024 * 1024, JSON.stringify(lagging.body));
    t.regex(String(lagging.body.why), /lags \d+ bytes behind, more than the 1048576 allowed/);
    t.is((await ask(slave, '/replica')).status, 200, 'no limit: still a replica');
    t.is((await ask(slave, '/replica?lag=1GB')).status, 200);
    t.is((await ask(slave, '/replica?lag=lots')).status, 400);
  } finally {
    await env.psql('slave', 'SELECT pg_wal_replay_resume()');
  }
  t.true(await eventually(async () => (await ask(slave, '/replica?lag=1MB')).status === 200, 20_000), 'caught up again');
});

test.serial('PostgreSQL down: 503 at once on /health, and back to 200 when it starts', async (t) => {
  await pgCtlCluster(env, 'slave', 'stop');
  try {
    const down = await ask(slave, '/health');
    t.is(down.status, 503);
    t.regex(String(down.body.why), /PostgreSQL is not running/);
  } finally {
    await pgCtlCluster(env, 'slave', 'start');
  }
  t.true(await eventually(async () => (await ask(slave, '/replica')).status === 200, 20_000));
});

test.serial('PostgreSQL stalled: a stopped postmaster, or a stopped backend of the agent, is 503 within the timeout, never a hang', async (t) => {
  const postmaster = postmasterPid(env.dataDir('slave'));
  process.kill(postmaster, 'SIGSTOP');
  try {
    const stalled = await ask(slave, '/health');
    t.is(stalled.status, 503);
    t.regex(String(stalled.body.why), /stalled: the postmaster \d+ is stopped/);
  } finally {
    process.kill(postmaster, 'SIGCONT');
  }
  t.is((await ask(slave, '/health')).status, 200);
  const [backend] = (await env.psql('slave', `SELECT pid FROM pg_stat_activity WHERE application_name = 'ha-install agent'`)).out.split('\n').map(Number);
  t.truthy(backend, 'the agent holds one connection');
  process.kill(backend!, 'SIGSTOP');
  try {
    const stuck = await ask(slave, '/health');
    t.is(stuck.status, 503);
    t.regex(String(stuck.body.why), /no answer from PostgreSQL within 1000 ms/);
    t.true(stuck.ms < 3000, `answered after ${stuck.ms} ms`);
  } finally {
    process.kill(backend!, 'SIGCONT');
  }
  t.true(await eventually(async () => (await ask(slave, '/health')).status === 200, 10_000), 'a new connection replaces the stuck one');
});

test.serial('fenced at runtime (the fence file issue 9 writes): 503 on /primary at once, 200 when it goes', async (t) => {
  const fence = `/run/ha-install/fence-${version}-${env.cluster('master')}`;
  writeFileSync(fence, JSON.stringify({ reason: 'test: cut off', by: 'agent-states.test' }) + '\n');
  try {
    const fenced = await ask(master, '/primary');
    t.is(fenced.status, 503);
    t.like(fenced.body, { fenced: true, role: 'primary', fence: { source: 'runtime' } });
    t.regex(String(fenced.body.why), /fenced \(runtime\): test: cut off \(by agent-states\.test/);
    t.is((await ask(master, '/health')).status, 200, 'PostgreSQL itself is up');
    const status = await env.cli(['status', '--json']);
    t.regex(status.stdout, /"fenced":\{"reason":"test: cut off/);
  } finally {
    rmSync(fence, { force: true });
  }
  t.is((await ask(master, '/primary')).status, 200);
});

test.serial('kill -9 of the agent: its supervisor starts it again, and counts the restart', async (t) => {
  const before = supervisedChild(slaveAgent());
  t.truthy(before);
  process.kill(before!, 'SIGKILL');
  t.true(await eventually(async () => (await ask(slave, '/health')).status === 200 && supervisedChild(slaveAgent()) !== before, 15_000));
  const list = JSON.parse((await env.cli(['service', 'list', '--json'])).stdout) as { services: Array<{ name: string; state: string; restarts?: number }> };
  t.like(list.services.find((s) => s.name === slaveAgent()), { state: 'running', restarts: 1 });
  t.regex(readFileSync(`${env.logs}/${slaveAgent()}.log`, 'utf8'), /was killed by SIGKILL; starting it again in 1 s/);
});

test.serial('service stop and demo --down stop everything: no supervisor, no agent, no HAProxy, no pid file, no listener', async (t) => {
  const stopped = await env.cli(['service', 'stop', slaveAgent(), '--yes']);
  t.is(stopped.exitCode, 0, stopped.stderr);
  t.is((await ask(slave, '/health')).status, 0, 'nothing listens');
  t.deepEqual(await processesWith('supervise', slaveAgent()), []);
  const down = await env.down();
  t.is(down.exitCode, 0, down.stderr);
  for (const name of env.serviceNames()) {
    t.deepEqual(await processesWith(name), [], name);
    t.false(existsSync(`/run/ha-install/${name}.pid`), name);
    t.false(existsSync(`/etc/ha-install/services/${name}.json`), name);
  }
  t.deepEqual(await processesWith('haproxy', `${env.names.prefix}.cfg`), []);
  for (const left of ['sock', 'servers']) t.false(existsSync(`/run/ha-install/ha-install-haproxy-t_ag.${left}`), `HAProxy's ${left} file goes with it`);
  for (const host of [master, slave]) t.is((await ask(host, '/health')).status, 0);
});
