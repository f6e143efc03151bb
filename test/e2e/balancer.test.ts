import test from 'ava';
import { execa } from 'execa';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { BALANCER, clientLineOf, clientPassword, throughBalancer } from '../helpers/balancer.js';
import { crash, DemoEnv, eventually, pgCtlCluster } from '../helpers/demo.js';
import { useDemo } from '../helpers/demo-hooks.js';
import { runCli } from '../helpers/cli.js';

/**
 * The demo's three servers with real HAProxy and PostgreSQL: the printed psql line works as
 * pasted and reaches the primary through 127.0.0.10; `status` on the balancer; a re-run of the
 * balancer install changes nothing, a changed configuration is reloaded without dropping an
 * established session; after a promote clients reach the new primary and never the old one,
 * also when the old master is started again.
 */

const env = new DemoEnv({ prefix: 't_lb', port: 5484, balancerPort: 5485, agentPort: 5486, statsPort: 5487 });
let demoOut = '';
const node = async () => (await throughBalancer(env, 'SELECT inet_server_addr()')).out;
const balancerArgs = (answers = join(env.demoDir, 'balancer.yaml')) => ['--state-dir', join(env.demoDir, BALANCER), '--log-dir', env.logs, '--answers', answers, '--yes'];

interface BalancerJson {
  nodes: Array<{ status: { role: string; healthy: boolean }; servers?: Array<{ name: string; status: string; address: string }>; services?: Array<{ name: string; state: string }> }>;
}

useDemo(test, env, { up: (demo) => void (demoOut = demo.stdout + demo.stderr) });

test.serial('the demo ends with a psql line through 127.0.0.10 that works as printed, with no password in it', async (t) => {
  const line = clientLineOf(demoOut);
  t.regex(line, new RegExp(`^PGPASSFILE=\\S+ psql "host=127\\.0\\.0\\.10 port=${env.ports.balancer} dbname=postgres user=t_lb_app" -c "SELECT inet_server_addr\\(\\) AS node, pg_is_in_recovery\\(\\) AS standby"$`));
  const pasted = await execa('sh', ['-c', line], { reject: false, cwd: '/' });
  t.is(pasted.exitCode, 0, String(pasted.stderr));
  t.regex(String(pasted.stdout), /127\.0\.0\.11\s+\|\s+f/);
  t.is(statSync(join(env.demoDir, 'pgpass')).mode & 0o777, 0o600);
  t.false(line.includes(clientPassword(env)));
  const stats = readFileSync(join(env.demoDir, 'haproxy', 'ha-install-stats.password'), 'utf8').trim();
  t.regex(demoOut, new RegExp(`password ${stats} \\(shown this once`), 'the stats password is shown once');
  for (const log of readdirSync(env.logs)) t.false(readFileSync(join(env.logs, log), 'utf8').includes(stats), `the stats password is in ${log}`);
  t.false(readFileSync(join(env.demoDir, 'haproxy', 't_lb.cfg'), 'utf8').includes(stats), 'only its hash is in the configuration');
  t.is(statSync(join(env.demoDir, 'haproxy', 'ha-install-stats.password')).mode & 0o777, 0o600);
  const page = (auth?: string) => fetch(`http://${BALANCER}:${env.ports.stats}/`, { headers: auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {} });
  t.is((await page()).status, 401, 'never an open stats page');
  t.is((await page('admin:wrong')).status, 401);
  t.is((await page(`admin:${stats}`)).status, 200);
});

test.serial('status on the balancer: each server, its check and since when, sessions, and HAProxy\'s service', async (t) => {
  const r = await env.cli(['demo', 'run', BALANCER, 'status', '--json']);
  t.is(r.exitCode, 0, r.stdout + r.stderr);
  const [lb] = (JSON.parse(r.stdout) as BalancerJson).nodes;
  t.like(lb!.status, { role: 'balancer', healthy: true });
  t.deepEqual(lb!.servers!.map((s) => [s.name, s.address, s.status]), [['master', '127.0.0.11', 'UP'], ['slave', '127.0.0.12', 'DOWN']]);
  t.like(lb!.services![0], { name: 'ha-install-haproxy-t_lb', state: 'running' });
  const text = await env.cli(['demo', 'run', BALANCER, 'status']);
  t.regex(text.stdout, /server\s+postgresql\/master 127\.0\.0\.11 UP, check L7OK\/200 in \d+ ms, for \d+ s, sessions \d+ now, \d+ in all/);
});

test.serial('a re-run of the balancer install changes nothing; a changed setting is reloaded and an open session survives it', async (t) => {
  const again = await runCli(balancerArgs());
  t.is(again.exitCode, 0, again.stderr.slice(-2000));
  t.regex(again.stderr, /Write the HAProxy configuration .* \.\.\. done \(unchanged\)/);
  t.regex(again.stderr, /Start ha-install-haproxy-t_lb .* \.\.\. done \(already running\)/);
  const client = new pg.Client({ host: BALANCER, port: env.ports.balancer, user: 't_lb_app', password: clientPassword(env), database: 'postgres' });
  await client.connect();
  try {
    const before = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    const changed = join(env.root, 'balancer-changed.yaml');
    writeFileSync(changed, readFileSync(join(env.demoDir, 'balancer.yaml'), 'utf8').replace(/^agent:\n/m, 'agent:\n  timeout-ms: 1500\n'), { mode: 0o600 });
    const reload = await runCli(balancerArgs(changed));
    t.is(reload.exitCode, 0, reload.stderr.slice(-2000));
    t.regex(reload.stderr, /Write the HAProxy configuration .* \.\.\. done \(updated\)/);
    t.regex(reload.stderr, /Start ha-install-haproxy-t_lb .* \.\.\. done \(reloaded\)/);
    t.regex(readFileSync(join(env.demoDir, 'haproxy', 't_lb.cfg'), 'utf8'), /timeout check 2500ms/);
    t.is((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid, before, 'the same session, through the reload');
    t.is(await node(), '127.0.0.11', 'new sessions go through too');
  } finally {
    await client.end();
  }
});

test.serial('after a promote clients reach the new primary, and never the old master, also once it is started again', async (t) => {
  t.is(await node(), '127.0.0.11');
  await crash(env, 'master');
  const promoted = await env.run('slave', ['promote', '--yes']);
  t.is(promoted.exitCode, 0, promoted.stderr.slice(-2000));
  t.true(await eventually(async () => (await node()) === '127.0.0.12', 15_000), 'the balancer sends clients to the new primary');
  const write = await throughBalancer(env, 'CREATE TABLE after_promote AS SELECT 1 AS x');
  t.is(write.exitCode, 0, write.err);
  await pgCtlCluster(env, 'master', 'start'); // the start guard fences it: a read-only standby
  const seen = new Set<string>();
  for (let i = 0; i < 30; i++) {
    seen.add(await node());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.deepEqual([...seen], ['127.0.0.12'], 'never the old master');
  const r = await env.cli(['demo', 'run', BALANCER, 'status', '--json']);
  const [lb] = (JSON.parse(r.stdout) as BalancerJson).nodes;
  t.deepEqual(lb!.servers!.map((s) => [s.name, s.status]), [['master', 'DOWN'], ['slave', 'UP']]);
});
