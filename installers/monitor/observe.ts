import { execFile } from 'node:child_process';
import { request } from 'node:http';
import type { Client, ClientConfig } from 'pg';
import { BoundSocket } from '../postgresql/remote.js';
import { passwordFor } from '../postgresql/pgpass.js';
import type { MonitorConfig } from './config.js';

/**
 * The monitor's eyes: short looks, each bounded by the check timeout, each leaving from this
 * node's own address (so a cut between two hosts is seen as such). An agent's JSON says the
 * node's role, timeline and fence without a database login.
 */

export interface AgentLook {
  /** The agent answered at all: the host is up and reachable. */
  answered: boolean;
  status?: number;
  role?: 'primary' | 'replica' | 'unknown';
  timeline?: number;
  fenced?: boolean;
  /** PostgreSQL answered the agent's probe. */
  running?: boolean;
  /** A standby's walreceiver status (`streaming`), as its agent says. */
  replication?: string;
  /** Why that node holds the failover monitors (a switchover there), while it does. */
  hold?: string;
  /** Its WAL position (a primary's write position, a standby's replay position). */
  lsn?: string;
}

export function httpGet(host: string, port: number, path: string, timeoutMs: number, from?: string): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  return new Promise((resolve) => {
    // Settled once, whatever comes first: the whole answer, an error, a close, or the deadline.
    // A link that dies after the headers gives a response that never ends: the deadline
    // destroys the request and its close settles the look, so a loop never waits for ever.
    let settled = false;
    const settle = (value: { status: number; body: Record<string, unknown> } | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const req = request({ host, port, path, method: 'GET', timeout: timeoutMs, localAddress: from, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk.slice(0, 64 * 1024)));
      res.on('end', () => {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // not JSON: the status alone counts
        }
        settle({ status: res.statusCode ?? 0, body });
      });
      res.on('close', () => settle(undefined)); // closed before its end: no answer
    });
    const timer = setTimeout(() => {
      req.destroy();
      settle(undefined);
    }, timeoutMs);
    req.on('timeout', () => req.destroy());
    req.on('error', () => settle(undefined));
    req.on('close', () => settle(undefined));
    req.end();
  });
}

export async function lookAtAgent(host: string, port: number, path: string, timeoutMs: number, from?: string): Promise<AgentLook> {
  const got = await httpGet(host, port, path, timeoutMs, from);
  if (!got) return { answered: false };
  const body = got.body;
  return {
    answered: true,
    status: got.status,
    role: body.role === 'primary' || body.role === 'replica' ? body.role : 'unknown',
    timeline: typeof body.timeline === 'number' ? body.timeline : undefined,
    fenced: body.fenced === true,
    running: body.state === 'running',
    replication: typeof body.replication_state === 'string' ? body.replication_state : undefined,
    hold: typeof body.hold === 'string' ? body.hold : undefined,
    lsn: typeof body.wal_position === 'string' ? body.wal_position : undefined,
  };
}

/** One ping, bound to this node's address; true when it was answered in time. */
export function pingOnce(target: string, timeoutMs: number, from?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const args = ['-n', '-c', '1', '-W', (timeoutMs / 1000).toFixed(2), ...(from ? ['-I', from] : []), target];
    execFile('ping', args, { timeout: timeoutMs + 500, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' } }, (error) => resolve(error === null));
  });
}

/** The default gateway, where there is one (`ip route show default`). */
export function defaultGateway(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('ip', ['-o', 'route', 'show', 'default'], { timeout: 2000 }, (error, stdout) => resolve(error ? undefined : /via (\S+)/.exec(String(stdout))?.[1]));
  });
}

/**
 * A long-lived connection to the peer's PostgreSQL as the replication role, for the standby's
 * look at its primary ("does it answer a query?"). A broken one is dropped and made again on
 * the next look; a look never waits longer than the check timeout.
 */
export class PeerDatabase {
  private client: Client | undefined;

  constructor(private readonly config: MonitorConfig) {}

  async answers(timeoutMs: number): Promise<{ ok: boolean; standby?: boolean; problem?: string }> {
    try {
      const client = this.client ?? (this.client = await this.connect(timeoutMs));
      const result = await Promise.race([
        client.query('SELECT pg_is_in_recovery() AS standby'),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs)),
      ]);
      return { ok: true, standby: (result.rows[0] as { standby: boolean }).standby };
    } catch (error) {
      await this.drop();
      return { ok: false, problem: error instanceof Error ? error.message : String(error) };
    }
  }

  private async connect(timeoutMs: number): Promise<Client> {
    const { default: pg } = await import('pg');
    const { host, pgPort } = this.config.peer;
    const client = new pg.Client({
      host,
      port: pgPort,
      user: this.config.replicationUser,
      password: passwordFor(host, pgPort, this.config.replicationUser, this.config.passfile) ?? '',
      database: 'postgres',
      application_name: 'ha-install-monitor',
      connectionTimeoutMillis: timeoutMs,
      keepAlive: true,
      // Leave from this node's own address, as the walreceiver does: a cut between two hosts is seen as one.
      stream: () => new BoundSocket(this.config.self),
    } as ClientConfig);
    client.on('error', () => undefined); // surfaces as the next query's failure
    await client.connect();
    return client;
  }

  /**
   * Never waits for the peer: across a cut that drops packets a polite end() waits for an
   * answer that does not come, and the monitor's loop with it. The socket goes now.
   */
  async drop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.end().catch(() => undefined);
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}
