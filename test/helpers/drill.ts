import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userIds } from '../../src/system/users.js';
import { tmpdir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { BALANCER, clientPassword, supervisedChild } from './balancer.js';
import { root } from './cli.js';
import { address, DemoEnv, eventually, version, type Node } from './demo.js';
import { Lab } from './lab.js';
import { checkRows } from './json-events.js';
import type { TestFn } from 'ava';
import { acquireLoopbackLock, releaseLoopbackLock } from './loopback-lock.js';
import { agentServiceName } from '../../installers/agent/config.js';
import { supervisorAlive } from '../../installers/services/state.js';
import { monitorServiceName } from '../../installers/monitor/config.js';

/**
 * A failover drill: a demo pair with the monitors and the witness, every process of it inside
 * a lab (a network namespace of the test's own, test/helpers/lab.ts) so a cut is real for
 * PostgreSQL, the agents, the monitors, HAProxy and the clients alike; an event script that
 * writes each event's arguments to a file; numbered-row writers (test/helpers/write-client.ts).
 */

export const HOSTS = ['127.0.0.10', '127.0.0.11', '127.0.0.12', '127.0.0.13'];
export const other = (node: Node): Node => (node === 'master' ? 'slave' : 'master');
export const othersOf = (host: string) => HOSTS.filter((h) => h !== host);

export interface Acks {
  /** [row number, Date.now() of its acknowledgement] */
  acked: Array<[number, number]>;
  /** What the writer printed when stopped (test/helpers/write-client.ts). */
  summary: { acked: number; errors: number; maxPauseMs: number };
}

export class Drill {
  readonly lab = new Lab();
  readonly scratch = mkdtempSync(join(tmpdir(), 'ha-drill-'));
  readonly eventsFile = join(this.scratch, 'events.txt');
  readonly env: DemoEnv;
  private writers = new Map<string, { child: ReturnType<Lab['run']>; out: string }>();
  private writerCount = 0;
  private stopped = new Set<number>();

  constructor(names: { prefix: string; port: number; synchronous?: boolean }) {
    chmodSync(this.scratch, 0o711); // the local writers run as postgres: they must reach their folder
    const script = join(this.scratch, 'event.sh');
    writeFileSync(script, `#!/bin/sh\necho "$*" >> ${this.eventsFile}\n`, { mode: 0o755 });
    this.env = new DemoEnv({ ...names, automatic: true, eventScript: script, wrap: ['ip', 'netns', 'exec', this.lab.name] });
  }

  async up(): Promise<void> {
    await this.lab.open(HOSTS);
    await this.env.clearLeftovers();
    const demo = await this.env.demo();
    if (demo.exitCode !== 0) throw new Error(`demo failed (${demo.exitCode}):\n${demo.stderr.slice(-3000)}`);
    await this.env.psql('master', `CREATE TABLE IF NOT EXISTS drill (n int PRIMARY KEY, at timestamptz DEFAULT now()); GRANT ALL ON drill TO ${this.env.names.prefix}_app`);
  }

  async down(): Promise<void> {
    this.continueStopped();
    for (const name of [...this.writers.keys()]) await this.stopWriter(name).catch(() => undefined);
    try {
      await this.env.cleanup();
    } finally {
      await this.lab.close();
    }
  }

  /** What PostgreSQL says the node is, over its Unix socket (not through the lab's network). */
  async role(node: Node): Promise<'primary' | 'standby' | 'down'> {
    const r = await this.env.psql(node, 'SELECT pg_is_in_recovery()', { reject: false });
    return r.exitCode !== 0 ? 'down' : r.out === 't' ? 'standby' : 'primary';
  }

  async primary(): Promise<Node> {
    for (const node of ['master', 'slave'] as const) if ((await this.role(node)) === 'primary') return node;
    throw new Error('no primary in the pair');
  }

  /** The standby streams from the primary (its walreceiver says so). */
  async streaming(standby: Node): Promise<boolean> {
    const r = await this.env.psql(standby, 'SELECT status FROM pg_stat_wal_receiver', { reject: false });
    return r.out === 'streaming';
  }

  /**
   * The standby has replayed what the primary has written (within 64 kB): after a cut heals,
   * TCP's backed-off retransmissions can leave the walreceiver "streaming" with nothing
   * arriving for seconds; a drill that measures loss starts from a standby that caught up.
   */
  async caughtUp(standby: Node, timeoutMs = 30_000): Promise<boolean> {
    return eventually(async () => {
      const r = await this.env.psql(other(standby), 'SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), -1) FROM pg_stat_replication', { reject: false });
      const behind = Number(r.out);
      return r.exitCode === 0 && behind >= 0 && behind < 64 * 1024;
    }, timeoutMs);
  }

  events(): string[] {
    return existsSync(this.eventsFile) ? readFileSync(this.eventsFile, 'utf8').split('\n').filter(Boolean) : [];
  }

  /** A monitor's own log (the service's output). */
  monitorLog(node: Node): string {
    const path = join(this.env.logs, `${monitorServiceName({ version, name: this.env.cluster(node) })}.log`);
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  }

  /** Every process of a node as a host: its PostgreSQL (postmaster and children), its agent, its monitor. */
  hostProcesses(node: Node): number[] {
    const postmaster = Number(readFileSync(`${this.env.dataDir(node)}/postmaster.pid`, 'utf8').split('\n')[0]);
    const children = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number)
      .filter((pid) => {
        try {
          return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]) === postmaster;
        } catch {
          return false;
        }
      });
    const ref = { version, name: this.env.cluster(node) };
    const services = [supervisedChild(agentServiceName(ref)), supervisedChild(monitorServiceName(ref))].filter((pid): pid is number => pid !== undefined);
    return [postmaster, ...children, ...services];
  }

  /**
   * The host stalls: every process of it stopped for `ms`, then continued (in a finally, and
   * again by down(): a process left stopped would hang every later test on it). A backend that
   * ends between the listing and its signal is no error.
   */
  async stallHost(node: Node, ms: number): Promise<number[]> {
    const pids = this.hostProcesses(node);
    for (const pid of pids) this.stopped.add(pid);
    try {
      for (const pid of pids) signal(pid, 'SIGSTOP');
      await delay(ms);
    } finally {
      this.continueStopped();
    }
    return pids;
  }

  private continueStopped(): void {
    for (const pid of this.stopped) signal(pid, 'SIGCONT');
    this.stopped.clear();
  }

  /** The host dies whole: every process of it (with the agent's and the monitor's supervisors) killed at once. */
  killHost(node: Node): number[] {
    const ref = { version, name: this.env.cluster(node) };
    const supervisors = [supervisorAlive(agentServiceName(ref)), supervisorAlive(monitorServiceName(ref))].filter((pid): pid is number => pid !== undefined);
    const pids = [...supervisors, ...this.hostProcesses(node)];
    for (const pid of pids) signal(pid, 'SIGKILL');
    return pids;
  }

  /** After killHost: the node's services back (as its host's boot would start them), inside the lab. */
  async startServices(node: Node): Promise<void> {
    const ref = { version, name: this.env.cluster(node) };
    const r = await this.env.cli(['service', 'start', monitorServiceName(ref), agentServiceName(ref), '--yes']);
    if (r.exitCode !== 0) throw new Error(`service start failed:\n${r.stderr.slice(-2000)}`);
  }

  /** What restore-master --dry-run says the old primary holds past the fork: WAL bytes of commits that exist only there. */
  async discardedBytes(node: Node): Promise<number> {
    const dry = await this.env.run(node, ['restore-master', '--master-ip', address[other(node)], '--dry-run', '--json']);
    const measured = checkRows(dry.stdout, 'Restore preflight').get('discarded here')?.measured ?? '';
    if (/^nothing/.test(measured)) return 0;
    const bytes = /^(\d+) bytes of WAL after/.exec(measured)?.[1];
    if (bytes === undefined) throw new Error(`restore-master --dry-run did not say what it would discard (${measured || 'no row'}):\n${dry.stderr.slice(-2000)}`);
    return Number(bytes);
  }

  /** When the node was last promoted: the newest timeline history file in its pg_wal. */
  promotedAt(node: Node): number | undefined {
    const wal = join(this.env.dataDir(node), 'pg_wal');
    const times = readdirSync(wal).filter((f) => f.endsWith('.history')).map((f) => statSync(join(wal, f)).mtimeMs);
    return times.length > 0 ? Math.max(...times) : undefined;
  }

  /**
   * A writer of numbered rows (each writer its own range of numbers), inside the lab: through
   * the balancer as the demo's client by default, or `local` to a node: over its Unix socket as
   * postgres, a client on that node's own host that no network cut stops.
   */
  startWriter(name: string, local?: Node): void {
    const dir = join(this.scratch, 'writers');
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chownSync(dir, userIds('postgres').uid, userIds('postgres').gid);
    const out = join(dir, `${name}.acks`);
    const first = String(++this.writerCount * 1_000_000);
    const writer = ['node', '--import', 'tsx', join(root, 'test', 'helpers', 'write-client.ts')];
    const common = [`ACK_FILE=${out}`, 'TABLE=drill', `FIRST=${first}`];
    const child = local
      ? this.lab.run(['runuser', '-u', 'postgres', '--', 'env', ...common, `HOSTS=${this.env.socketDir(local)}`, `PORT=${this.env.names.port}`, 'PGUSER=postgres', ...writer], { cwd: root })
      : this.lab.run(['env', ...common, `HOSTS=${BALANCER}`, `PORT=${this.env.ports.balancer}`, `PGUSER=${this.env.names.prefix}_app`, ...writer], { cwd: root, env: { PGPASSWORD: clientPassword(this.env) } });
    this.writers.set(name, { child, out });
  }

  acks(name: string): Array<[number, number]> {
    const out = this.writers.get(name)?.out ?? join(this.scratch, 'writers', `${name}.acks`);
    if (!existsSync(out)) return [];
    return readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ').map(Number) as [number, number]);
  }

  /** Waits until the writer has `count` more acknowledgements than now. */
  async writing(name: string, count = 20, timeoutMs = 20_000): Promise<boolean> {
    const before = this.acks(name).length;
    return eventually(async () => this.acks(name).length >= before + count, timeoutMs);
  }

  async stopWriter(name: string): Promise<Acks> {
    const writer = this.writers.get(name);
    if (!writer) throw new Error(`no writer ${name}`);
    this.writers.delete(name);
    writer.child.kill('SIGTERM');
    const printed = String((await writer.child).stdout).trim().split('\n').at(-1);
    const summary = printed ? (JSON.parse(printed) as Acks['summary']) : { acked: 0, errors: 0, maxPauseMs: 0 };
    return { acked: this.acks(name), summary };
  }

  /** The acknowledged rows the node does not have. */
  async missing(node: Node, acked: Array<[number, number]>): Promise<Array<[number, number]>> {
    const present = new Set((await this.env.psql(node, 'SELECT n FROM drill')).out.split('\n').filter(Boolean).map(Number));
    return acked.filter(([n]) => !present.has(n));
  }

  /** restore-master on the node, then until it streams from the primary. */
  async restore(node: Node): Promise<{ exitCode: number; stderr: string; streaming: boolean }> {
    const back = await this.env.run(node, ['restore-master', '--master-ip', address[other(node)], '--yes']);
    const streaming = back.exitCode === 0 && (await eventually(() => this.streaming(node), 30_000));
    return { exitCode: back.exitCode, stderr: back.stderr, streaming };
  }
}

/** kill(2), where a process that ended on its own (a backend, a probe's connection) is no error. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** A drill file's hooks: the loopback lock, the pair up in its lab before the tests, all of it down after. */
export function useDrill(test: TestFn, drill: Drill): void {
  test.before(async (t) => {
    t.timeout(6 * 60_000);
    await acquireLoopbackLock({ log: (line) => t.log(line) });
    await drill.up();
  });
  test.after.always(async () => {
    try {
      await drill.down();
    } finally {
      releaseLoopbackLock();
    }
  });
}
