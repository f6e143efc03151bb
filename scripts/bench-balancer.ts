/**
 * npm run bench:balancer [-- --scale N] [--seconds N] [--rounds N] (also the last part of `npm run bench`)
 *
 * The balancer in a demo of its own (b_lb_11/12 on port 5495, HAProxy on 127.0.0.10:5496, the
 * agents on 5497) inside a network namespace of its own:
 *  1. pgbench select-only (-S) and the default TPC-B, through 127.0.0.10 against directly to the
 *     master, in the same run, rounds interleaved (the order turns each round). Target: through
 *     the balancer at least 0.9 of direct.
 *  2. The agent's response time while HAProxy checks it (a request every 100 ms for 10 s), then
 *     under a small flood (50 clients, 40 requests each), and HAProxy's own check durations.
 *  3. The seconds from a promote of the slave (the master killed) to the first write that
 *     commits through the balancer, twice (the second time the other way round).
 * A script, not a test: the figures depend on the machine. It removes what it made.
 */
import { execa } from 'execa';
import { inOwnNetworkNamespace, numberArg, onDemo } from './bench-common.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { replaceBlock } from '../src/engine/text.js';
import { balancedServers } from '../installers/haproxy/stats.js';
import { agent, BALANCER, clientPassword } from '../test/helpers/balancer.js';
import { crash, DemoEnv, version, type Node } from '../test/helpers/demo.js';

await inOwnNetworkNamespace();

const [scale, duration, rounds] = [numberArg('scale', 10), numberArg('seconds', 10), numberArg('rounds', 3)];
const env = new DemoEnv({ prefix: 'b_lb', port: 5495, balancerPort: 5496, agentPort: 5497, statsPort: 5498 });
const role = 'b_lb_app';
const db = 'b_lb_bench';
const address = { master: '127.0.0.11', slave: '127.0.0.12' } as const;
const pgpass = () => join(env.root, 'bench.pgpass');
const ms = (x: number) => `${x.toFixed(1)} ms`;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const median = (xs: number[]) => pct(xs, 50);

async function pgbench(host: string, port: number, args: string[]): Promise<number> {
  const r = await execa('pgbench', ['-h', host, '-p', String(port), '-U', role, ...args, db], { env: { PGPASSFILE: pgpass() }, cwd: '/', reject: false });
  if (r.exitCode !== 0) throw new Error(`pgbench ${args.join(' ')} on ${host}:${port} failed:\n${String(r.stderr).slice(-1500)}`);
  return Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(String(r.stdout))?.[1]);
}

/** One write through the balancer on a new connection: true when it committed. */
async function writeThrough(): Promise<boolean> {
  const r = await execa('psql', ['-X', '-At', '-h', BALANCER, '-p', String(env.ports.balancer), '-U', role, '-d', db, '-c', 'INSERT INTO bench_writes VALUES (now())'], { env: { PGPASSFILE: pgpass(), PGCONNECT_TIMEOUT: '2' }, reject: false, cwd: '/' });
  return r.exitCode === 0;
}

/** The dead node's standby is promoted: seconds from the kill to the first write through the balancer. */
async function failover(dead: Node, alive: Node): Promise<{ promote: number; firstWrite: number }> {
  await crash(env, dead);
  const started = performance.now();
  const promoted = env.run(alive, ['promote', '--yes']);
  let firstWrite = NaN;
  let promote = NaN;
  void promoted.then(() => (promote = performance.now() - started));
  while (Number.isNaN(firstWrite)) {
    if (await writeThrough()) firstWrite = performance.now() - started;
    else if (performance.now() - started > 60_000) throw new Error('no write went through the balancer within 60 s of the promote');
    else await delay(20);
  }
  const result = await promoted;
  if (result.exitCode !== 0) throw new Error(`promote failed:\n${result.stderr.slice(-1500)}`);
  const restored = await env.run(dead, ['restore-master', '--master-ip', address[alive], '--yes']);
  if (restored.exitCode !== 0) throw new Error(`restore-master failed:\n${restored.stderr.slice(-1500)}`);
  return { promote: promote / 1000, firstWrite: firstWrite / 1000 };
}

async function agentTimes(count: number, concurrency: number, spacingMs: number): Promise<{ times: number[]; failed: number }> {
  const times: number[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < count; i++) {
        const r = await agent(address.master, env.ports.agent, '/primary');
        if (r.status === 200) times.push(r.ms);
        else failed++;
        if (spacingMs) await delay(spacingMs);
      }
    }),
  );
  return { times, failed };
}

await onDemo(env, 'the demo (pair and balancer)', async () => {
    const password = clientPassword(env);
    // Direct means the master's own address over TCP: connections to 127.0.0.11 leave from
    // 127.0.0.12 here (the demo's route), which the pg_hba block admits for replication only, so
    // this bench admits its client from there too, in a block of its own above ha-install's.
    const hba = `/etc/postgresql/${version}/${env.cluster('master')}/pg_hba.conf`;
    writeFileSync(hba, replaceBlock(readFileSync(hba, 'utf8'), 'ha-install-bench', `host    all    ${role}    127.0.0.12/32    scram-sha-256`, 'top'));
    await env.psql('master', 'SELECT pg_reload_conf()');
    writeFileSync(pgpass(), `${BALANCER}:${env.ports.balancer}:*:${role}:${password}\n${address.master}:${env.names.port}:*:${role}:${password}\n`, { mode: 0o600 });
    await env.psql('master', `CREATE DATABASE ${db} OWNER ${role}`);
    console.error(`pgbench -i -s ${scale} through the balancer ...`);
    await pgbench(BALANCER, env.ports.balancer, ['-i', '-q', '-s', String(scale)]);
    await execa('psql', ['-X', '-h', BALANCER, '-p', String(env.ports.balancer), '-U', role, '-d', db, '-c', 'CREATE TABLE bench_writes (at timestamptz)'], { env: { PGPASSFILE: pgpass() } });
    await env.psql('master', 'CHECKPOINT'); // the load's own checkpoint is not one of the timed runs'

    const tps: Record<string, { direct: number[]; balancer: number[] }> = { 'select-only (-S)': { direct: [], balancer: [] }, 'TPC-B (default)': { direct: [], balancer: [] } };
    for (let round = 1; round <= rounds; round++) {
      for (const [name, extra] of [['select-only (-S)', ['-S']], ['TPC-B (default)', []]] as const) {
        const order = round % 2 ? (['direct', 'balancer'] as const) : (['balancer', 'direct'] as const);
        for (const path of order) {
          const [host, port] = path === 'direct' ? [address.master, env.names.port] : [BALANCER, env.ports.balancer];
          tps[name]![path].push(await pgbench(host, port, ['-n', '-c', '4', '-j', '2', '-T', String(duration), ...extra]));
        }
      }
      console.error(`round ${round}/${rounds} done`);
    }

    const checked = await agentTimes(100, 1, 100);
    const flood = await agentTimes(40, 50, 0);
    const servers = await balancedServers('/run/ha-install/ha-install-haproxy-b_lb.sock');
    const checkMs = servers.filter((s) => s.proxy === 'postgresql').map((s) => `${s.name} ${s.check}`);

    const first = await failover('master', 'slave');
    const second = await failover('slave', 'master');

    console.log(`\nPostgreSQL ${version}, pgbench scale ${scale}, 4 clients, 2 threads, ${duration} s per run, ${rounds} rounds (direct and through the balancer interleaved)`);
    // pgbench, HAProxy and both PostgreSQL servers share this machine's CPUs: where they are few,
    // the balancer's extra hop costs CPU the server would have used, which a real balancer (a
    // machine of its own) does not take from the database.
    console.log(`this machine: ${availableParallelism()} CPUs, shared by pgbench, HAProxy and PostgreSQL`);
    for (const [name, { direct, balancer }] of Object.entries(tps)) {
      const ratio = median(balancer) / median(direct);
      console.log(`${name.padEnd(18)} direct ${median(direct).toFixed(0).padStart(7)} tps, through 127.0.0.10 ${median(balancer).toFixed(0).padStart(7)} tps (medians; runs ${direct.map((x) => x.toFixed(0)).join('/')} vs ${balancer.map((x) => x.toFixed(0)).join('/')}): ratio ${ratio.toFixed(2)} ${ratio >= 0.9 ? 'PASS' : 'FAIL'} (target >= 0.9)`);
    }
    console.log(`agent GET /primary while HAProxy checks it (1 request / 100 ms): p50 ${ms(median(checked.times))}, p99 ${ms(pct(checked.times, 99))}, max ${ms(Math.max(...checked.times))}, ${checked.failed} failed`);
    console.log(`agent under a flood (50 clients x 40 requests): p50 ${ms(median(flood.times))}, p99 ${ms(pct(flood.times, 99))}, max ${ms(Math.max(...flood.times))}, ${flood.failed} failed of ${50 * 40}`);
    console.log(`HAProxy's own last check of each agent: ${checkMs.join(', ')}`);
    for (const [what, f] of [['master killed, slave promoted', first], ['and back: slave killed, master promoted', second]] as const) {
      console.log(`${what}: promote took ${f.promote.toFixed(2)} s; first write through the balancer ${f.firstWrite.toFixed(2)} s after the promote began`);
    }
});
