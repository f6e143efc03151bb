import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Client, ClientConfig } from 'pg';
import { tcpProbe } from '../../src/system/probes.js';

/**
 * Connections to the peer node with node-postgres: the password stays in this process's
 * memory (never argv, never a file other than the postgres user's .pgpass).
 */

export interface PeerLogin {
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
  /** A physical replication connection (what pg_basebackup and the walreceiver open). */
  replication?: boolean;
  /** Leave from this local address (tests connecting as an outsider from 127.0.0.13). */
  localAddress?: string;
  timeoutMs?: number;
  /** How long one query may take: a network that drops packets (not refuses them) would otherwise hang the run for good. */
  queryTimeoutMs?: number;
}

/** net.Socket that binds its local end first: node-postgres calls connect(port, host). */
export class BoundSocket extends net.Socket {
  constructor(private readonly bindTo: string) {
    super();
  }

  override connect(...args: unknown[]): this {
    const [port, host] = args as [number, string];
    return super.connect({ port, host, localAddress: this.bindTo });
  }
}

export async function withPeer<T>(login: PeerLogin, work: (client: Client) => Promise<T>): Promise<T> {
  // Loaded on first use: importing node-postgres costs ~30 ms (it builds a fetch Response to
  // detect Cloudflare), which a slave pays while pg_lsclusters runs, and other runs never.
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    host: login.host,
    port: login.port,
    user: login.user,
    password: login.password,
    database: login.database ?? 'postgres',
    application_name: 'ha-install',
    connectionTimeoutMillis: login.timeoutMs ?? 10_000,
    query_timeout: login.queryTimeoutMs ?? 30_000,
    ...(login.replication ? { replication: 'true' } : {}),
    ...(login.localAddress ? { stream: () => new BoundSocket(login.localAddress!) } : {}),
  } as ClientConfig);
  client.on('error', () => {
    /* a dropped connection surfaces as the failed query's error */
  });
  try {
    await client.connect();
    return await work(client);
  } finally {
    // end() on a connection the server already closed (a session ended by a shutdown) may never settle.
    await Promise.race([client.end().catch(() => undefined), delay(1000, undefined, { ref: false })]);
    (client as unknown as { connection?: { stream?: net.Socket } }).connection?.stream?.destroy();
  }
}

export type LoginFailure = 'password' | 'hba' | 'starting' | 'refused' | 'timeout' | 'unreachable' | 'other';

/** Sorts a connection error into what the admin can do about it. */
export function classifyLoginError(error: unknown): LoginFailure {
  const e = error as { code?: string; message?: string };
  if (e.code === '28P01') return 'password';
  if (e.code === '28000') return 'hba';
  if (e.code === '57P03') return 'starting';
  if (e.code === 'ECONNREFUSED') return 'refused';
  if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') return 'unreachable';
  if (e.code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? '')) return 'timeout';
  return 'other';
}

/** True once something accepts TCP connections on host:port. */
export async function portOpen(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return (await tcpProbe(host, port, timeoutMs / 1000)).outcome === 'open';
}


/**
 * Waits up to `seconds` for the master's port, calling `onWait(secondsLeft)` about once a
 * second while it waits. True when the port answered in time.
 */
export async function waitForPort(host: string, port: number, seconds: number, onWait?: (secondsLeft: number) => void): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const started = Date.now();
    if (await portOpen(host, port, Math.min(2000, Math.max(200, deadline - started)))) return true;
    const left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) return false;
    onWait?.(left);
    await delay(Math.max(0, 1000 - (Date.now() - started)));
  }
}
