import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { DemoEnv } from './demo.js';

/** Building blocks for the tests of the agent and the balancer on a real demo. */

export const BALANCER = '127.0.0.10';

/** One HTTP request to an agent: status, parsed body, milliseconds; `status: 0` when nothing answered. */
export function agent(host: string, port: number, path: string, method = 'GET', timeoutMs = 5000): Promise<{ status: number; body: Record<string, unknown>; ms: number; raw: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({ host, port, path, method, timeout: timeoutMs }, (res) => {
      let raw = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
      res.on('end', () => {
        let body: Record<string, unknown> = {};
        try {
          body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        } catch {
          body = { unparsed: raw };
        }
        resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started, raw });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: {}, ms: performance.now() - started, raw: '' }));
    req.end();
  });
}

/** The demo's client line as it printed it, and the password file it names. */
export function clientLineOf(stdout: string): string {
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith('A client through the balancer'));
  return lines[at + 1]!;
}

/** psql through the balancer as the demo's client, as a person pastes the line (sh). */
export async function throughBalancer(env: DemoEnv, sql: string): Promise<{ exitCode: number; out: string; err: string }> {
  const pgpass = join(env.demoDir, 'pgpass');
  const line = `PGPASSFILE=${pgpass} PGCONNECT_TIMEOUT=3 psql -X -At "host=${BALANCER} port=${env.ports.balancer} dbname=postgres user=${env.names.prefix}_app" -c "${sql}"`;
  const r = await execa('sh', ['-c', line], { reject: false, cwd: '/' });
  return { exitCode: r.exitCode ?? -1, out: String(r.stdout).trim(), err: String(r.stderr) };
}

/** The demo's client password, for a node-postgres client (kept in the demo's PGPASSFILE). */
export function clientPassword(env: DemoEnv): string {
  return readFileSync(join(env.demoDir, 'pgpass'), 'utf8').trim().split(':').at(-1)!;
}

/** The running child of a supervised service (from its supervisor's state file). */
export function supervisedChild(name: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(`/run/ha-install/${name}.state.json`, 'utf8')) as { child?: number }).child;
  } catch {
    return undefined;
  }
}

/** Pids of live processes whose command line contains every one of `words`. */
export async function processesWith(...words: string[]): Promise<number[]> {
  const { stdout } = await execa('ps', ['-eo', 'pid=,stat=,args='], { reject: false });
  return String(stdout)
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, stat, ...args]) => !stat?.startsWith('Z') && words.every((w) => args.join(' ').includes(w)))
    .map(([pid]) => Number(pid));
}
