import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { runCli, type CliResult } from './cli.js';
import { installedVersion } from './postgresql.js';

/** Building blocks for the tests that run `ha-install demo` for real (they hold the loopback lock). */

export const version = installedVersion();
export const port = 5440;
export const clusterName = { master: 'ha_demo_11', slave: 'ha_demo_12' } as const;
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
  };
}

/** psql as postgres through the node's own socket directory; `-At` output, trimmed. */
export async function psql(node: Node, sql: string, options: { reject?: boolean } = {}): Promise<{ exitCode: number; out: string; err: string }> {
  const result = await execa('runuser', ['-u', 'postgres', '--', 'psql', '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', socketDir(node), '-p', String(port), '-d', 'postgres', '-c', sql], {
    reject: options.reject ?? true,
    cwd: '/',
  });
  return { exitCode: result.exitCode ?? -1, out: String(result.stdout).trim(), err: String(result.stderr) };
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

/** A demo with its own temporary --state-dir and --log-dir. */
export class DemoEnv {
  readonly root = mkdtempSync(join(tmpdir(), 'ha-demo-test-'));
  /** Not created beforehand: `demo --down` then removes it too. */
  readonly state = join(this.root, 'state');
  readonly logs = join(this.root, 'logs');
  readonly demoDir = join(this.state, 'demo');
  up = false;

  /** Refuses to touch a demo pair this test did not build (the admin's own, or a crashed run's). */
  static assertNoDemo(): void {
    const present = (['master', 'slave'] as const).filter((n) => existsSync(confDir(n)) || existsSync(dataDir(n)));
    if (present.length > 0) {
      throw new Error(`demo clusters already exist (${present.map(confDir).join(', ')}): remove them with \`ha-install demo --down\` (or pg_dropcluster) first`);
    }
  }

  cli(args: string[]): Promise<CliResult> {
    return runCli(['--state-dir', this.state, '--log-dir', this.logs, ...args]);
  }

  /** The slave install alone, as the demo runs it. */
  slaveArgs(answers = join(this.demoDir, 'slave.yaml')): string[] {
    return ['--state-dir', join(this.demoDir, 'slave'), '--log-dir', this.logs, '--answers', answers, '--yes'];
  }

  async demo(): Promise<CliResult> {
    const result = await this.cli(['demo']);
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
