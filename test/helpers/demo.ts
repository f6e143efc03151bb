import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { runCli, type CliResult } from './cli.js';
import { installedVersion } from './postgresql.js';
import { agentServiceName } from '../../installers/agent/config.js';
import { monitorServiceName } from '../../installers/monitor/config.js';
import { installedServices } from '../../installers/services/spec.js';
import { runtimeFencePath } from '../../installers/postgresql/fence.js';

/** Building blocks for the tests that run `ha-install demo` for real (they hold the loopback lock). */

export const version = installedVersion();
/**
 * The tests' own demo: another port and other cluster names than an admin's `ha-install demo`
 * (5440, ha_demo_11/12), so a demo the admin left up is neither used nor touched (the suite's
 * network namespace keeps its addresses apart too).
 */
export const port = 5450;
export const clusterPrefix = 't_demo';
export const clusterName = { master: `${clusterPrefix}_11`, slave: `${clusterPrefix}_12` } as const;
export const address = { master: '127.0.0.11', slave: '127.0.0.12' } as const;
export type Node = keyof typeof clusterName;
export const confDir = (node: Node) => `/etc/postgresql/${version}/${clusterName[node]}`;
export const dataDir = (node: Node) => `/var/lib/postgresql/${version}/${clusterName[node]}`;
export const socketDir = (node: Node) => `/var/run/postgresql/${clusterName[node]}`;
export const pgpass = '/var/lib/postgresql/.pgpass';

const sh = async (argv: string[]) => String((await execa(argv[0]!, argv.slice(1))).stdout);
const listing = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort().join('\n') : `missing ${dir}`);

/** What the demo may change and `demo --down` must restore byte for byte. */
export async function machineState(): Promise<Record<string, string>> {
  return {
    lo: await sh(['ip', 'addr', 'show', 'lo']),
    routes: await sh(['ip', 'route', 'show', 'table', 'local']),
    etc: listing(`/etc/postgresql/${version}`),
    lib: listing(`/var/lib/postgresql/${version}`),
    pgpass: existsSync(pgpass) ? `present ${createHash('sha256').update(readFileSync(pgpass)).digest('hex')}` : 'absent',
    services: listing('/etc/ha-install/services'),
  };
}

type PsqlResult = { exitCode: number; out: string; err: string };

/**
 * psql as postgres through a socket directory; `-At` output, trimmed. Bounded: a postmaster
 * that is stopped (SIGSTOP) accepts the connection and never answers, and a psql without a
 * deadline would hang the test and every one after it.
 */
async function psqlAt(socket: string, port: number, sql: string, options: { reject?: boolean }): Promise<PsqlResult> {
  const result = await execa('runuser', ['-u', 'postgres', '--', 'psql', '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', socket, '-p', String(port), '-d', 'postgres', '-c', sql], {
    reject: options.reject ?? true,
    cwd: '/',
    env: { PGCONNECT_TIMEOUT: '10' },
    timeout: 60_000,
  });
  return { exitCode: result.exitCode ?? -1, out: String(result.stdout).trim(), err: String(result.stderr) };
}

/** psql through the node's own socket directory (the default demo names). */
export function psql(node: Node, sql: string, options: { reject?: boolean } = {}): Promise<PsqlResult> {
  return psqlAt(socketDir(node), port, sql, options);
}

/** Polls until `check` is true (a standby replays asynchronously). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await delay(200);
  }
  return check();
}

/** Which demo pair a test file builds: its own cluster names and ports, so files never share one. */
export interface PairNames {
  prefix: string;
  port: number;
  /** HAProxy's client port on 127.0.0.10, the agents' port, the stats page (derived from `port` otherwise). */
  balancerPort?: number;
  agentPort?: number;
  statsPort?: number;
  /** The failover monitors and the witness run (the demo's default); otherwise `--manual-failover`: a test promotes by hand. */
  automatic?: boolean;
  synchronous?: boolean;
  /** `demo --event-script`: both monitors run it on each event. */
  eventScript?: string;
  /** Every ha-install run of this demo goes through this prefix (a drill's `ip netns exec LAB`). */
  wrap?: string[];
}

/** A demo with its own temporary --state-dir and --log-dir, and its own cluster names and port. */
export class DemoEnv {
  readonly root = mkdtempSync(join(tmpdir(), 'ha-demo-test-'));
  /** Not created beforehand: `demo --down` then removes it too. */
  readonly state = join(this.root, 'state');
  readonly logs = join(this.root, 'logs');
  readonly demoDir = join(this.state, 'demo');
  up = false;

  constructor(readonly names: PairNames = { prefix: clusterPrefix, port }) {}

  cluster(node: Node): string {
    return `${this.names.prefix}_${address[node].split('.').at(-1)}`;
  }

  confDir(node: Node): string {
    return `/etc/postgresql/${version}/${this.cluster(node)}`;
  }

  dataDir(node: Node): string {
    return `/var/lib/postgresql/${version}/${this.cluster(node)}`;
  }

  socketDir(node: Node): string {
    return `/var/run/postgresql/${this.cluster(node)}`;
  }

  /** psql through the node's own socket directory (psqlAt: bounded). */
  psql(node: Node, sql: string, options: { reject?: boolean } = {}): Promise<PsqlResult> {
    return psqlAt(this.socketDir(node), this.names.port, sql, options);
  }

  /**
   * Removes what a crashed earlier run of this test file left: clusters with its own names
   * (never an admin's demo, whose names and port differ).
   */
  async clearLeftovers(): Promise<void> {
    for (const node of ['master', 'slave'] as const) rmSync(runtimeFencePath({ version, name: this.cluster(node) }), { force: true });
    // Services first: an agent or HAProxy left running would hold its port for the next demo.
    const left = installedServices().filter((name) => this.serviceNames().includes(name));
    if (left.length > 0) await this.cli(['service', 'remove', ...left, '--yes']);
    for (const node of ['master', 'slave'] as const) {
      const parent = dirname(this.dataDir(node));
      const leftovers = readdirSync(parent).filter((entry) => entry === this.cluster(node) || entry.startsWith(`${this.cluster(node)}.`));
      if (!existsSync(this.confDir(node)) && leftovers.length === 0) continue;
      await execa('pg_dropcluster', ['--stop', String(version), this.cluster(node)], { reject: false });
      for (const dir of [this.confDir(node), this.socketDir(node), ...leftovers.map((entry) => join(parent, entry))]) rmSync(dir, { recursive: true, force: true });
    }
  }


  /** The services this demo's installs start: both agents and HAProxy, the monitors and the witness. */
  serviceNames(): string[] {
    const nodes = ['master', 'slave'] as const;
    return [
      ...nodes.map((node) => agentServiceName({ version, name: this.cluster(node) })),
      `ha-install-haproxy-${this.names.prefix}`,
      ...nodes.map((node) => monitorServiceName({ version, name: this.cluster(node) })),
      `ha-install-witness-${this.names.prefix}`,
    ];
  }

  /**
   * The balancer's ports as this demo uses them: given, or derived from the file's own
   * PostgreSQL port (5450: 15450, 25450, 7450), never the admin demo's 15432, 25432 and 7000,
   * which a README demo may hold while the tests run.
   */
  get ports(): { balancer: number; agent: number; stats: number; witness: number } {
    const { port } = this.names;
    return { balancer: this.names.balancerPort ?? 10000 + port, agent: this.names.agentPort ?? 20000 + port, stats: this.names.statsPort ?? 2000 + port, witness: 30000 + port };
  }

  cli(args: string[]): Promise<CliResult> {
    return runCli(['--state-dir', this.state, '--log-dir', this.logs, ...args], this.names.wrap ? { wrap: this.names.wrap } : {});
  }

  /** `ha-install demo run ADDRESS ...` as an admin types it. */
  run(node: Node, args: string[]): Promise<CliResult> {
    return this.cli(['demo', 'run', address[node], ...args]);
  }

  /** The slave install alone, as the demo runs it. */
  slaveArgs(answers = join(this.demoDir, 'slave.yaml')): string[] {
    return ['--state-dir', this.nodeDir('slave'), '--log-dir', this.logs, '--answers', answers, '--yes'];
  }

  /** Where a demo node keeps its state (the demo names its folders by address). */
  nodeDir(node: Node): string {
    return join(this.demoDir, address[node]);
  }

  async demo(): Promise<CliResult> {
    const { balancer, agent, stats, witness } = this.ports;
    const ports = ['--balancer-port', String(balancer), '--agent-port', String(agent), '--stats-port', String(stats), '--witness-port', String(witness)];
    const modes = [...(this.names.automatic ? [] : ['--manual-failover']), ...(this.names.synchronous ? ['--synchronous'] : []), ...(this.names.eventScript ? ['--event-script', this.names.eventScript] : [])];
    const result = await this.cli(['demo', '--port', String(this.names.port), '--cluster-prefix', this.names.prefix, ...ports, ...modes]);
    this.up = this.up || existsSync(this.demoDir);
    return result;
  }

  async down(): Promise<CliResult> {
    const result = await this.cli(['demo', '--down']);
    if (result.exitCode === 0) this.up = false;
    return result;
  }

  password(): string {
    return readFileSync(join(this.demoDir, 'backup-password'), 'utf8').trim();
  }

  /** After the tests: take the pair down if a test stopped half-way, drop the temporary folders. */
  async cleanup(): Promise<void> {
    if (this.up) await this.down();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The fields of `status --json` the tests look at. */
export interface StatusJson {
  healthy: boolean;
  nodes: Array<{ name: string; status: { role: string; healthy: boolean; problems: string[]; replication?: string; slot?: { name: string; active: boolean } } }>;
}

/** The postmaster's pid of a running data directory. */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
}

/** kill -9 of a node's postmaster (its backends follow), as a crash or an OOM kill would: no clean shutdown. */
export async function crash(env: DemoEnv, node: Node): Promise<void> {
  const pid = postmasterPid(env.dataDir(node));
  process.kill(pid, 'SIGKILL');
  // Reaped, not only dead: a zombie's pid still holds the socket's lock file against the next
  // postmaster (init reaps it, later under load).
  await eventually(async () => !existsSync(`/proc/${pid}`), 30_000);
}

/** pg_ctlcluster, as an admin types it (the start guard runs from pg_ctl.conf). */
export function pgCtlCluster(env: DemoEnv, node: Node, op: 'start' | 'stop'): Promise<unknown> {
  return execa('pg_ctlcluster', [String(version), env.cluster(node), op], { cwd: '/' });
}
