import { readFileSync } from 'node:fs';
import type { Client } from 'pg';
import { fenceWatcher } from '../postgresql/fence.js';
import { readHold } from '../monitor/hold.js';
import type { NodeView } from './answer.js';
import type { AgentConfig } from './config.js';

/**
 * What the agent reads of its node, cheaply and never hanging: the postmaster's pid file and
 * /proc first (not running, or stopped by SIGSTOP: answered at once, no connection tried), then
 * one query over ONE long-lived connection (a Unix socket, as the agent's role, peer
 * authentication: no password anywhere), bounded by the agent's timeout. A query that does not
 * answer in time drops the connection (its backend may be stuck); the next probe opens a new
 * one. Probes asked for while one runs share it, so a flood of requests is one query at a time.
 */

const SQL = `SELECT pg_is_in_recovery() AS standby,
  CASE WHEN pg_is_in_recovery()
       THEN coalesce((SELECT received_tli FROM pg_stat_wal_receiver), (SELECT timeline_id FROM pg_control_checkpoint()))
       ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END AS timeline,
  (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS lsn,
  (SELECT status FROM pg_stat_wal_receiver) AS receiver,
  CASE WHEN pg_is_in_recovery()
       THEN pg_wal_lsn_diff(greatest(pg_last_wal_receive_lsn(), (SELECT latest_end_lsn FROM pg_stat_wal_receiver)), pg_last_wal_replay_lsn())::bigint END AS lag`;

interface Row {
  standby: boolean;
  timeline: number | null;
  lsn: string | null;
  receiver: string | null;
  lag: string | null;
}

/** The postmaster as the kernel sees it: undefined when it runs normally, else why it cannot answer. */
export function postmasterProblem(dataDir: string): string | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  } catch {
    return 'PostgreSQL is not running (no postmaster.pid)';
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return `PostgreSQL is not running (postmaster ${pid} is gone)`;
  }
  const state = stat.replace(/^.*\) /s, '')[0];
  if (state === 'T' || state === 't') return `PostgreSQL is stalled: the postmaster ${pid} is stopped (SIGSTOP or a debugger)`;
  if (state === 'Z') return `PostgreSQL is not running (postmaster ${pid} has exited)`;
  return undefined;
}

export class Probe {
  private client: Client | undefined;
  private inFlight: Promise<NodeView> | undefined;
  private readonly fence: () => NodeView['fence'];
  /** A failure is kept this long, so a flood against a dead server is not a connection storm. */
  private failedUntil = 0;
  private lastFailure: NodeView | undefined;

  constructor(
    private readonly config: AgentConfig,
    private readonly say: (line: string) => void,
  ) {
    this.fence = fenceWatcher({ version: config.version, name: config.name }, config.dataDir, config.fenceDir);
  }

  async read(): Promise<NodeView> {
    const hold = readHold({ version: this.config.version, name: this.config.name }, this.config.fenceDir)?.reason;
    // The kernel's word is checked before joining a probe in flight: one that started just
    // before a SIGSTOP (HAProxy asks every few hundred ms) would still answer "up".
    const down = postmasterProblem(this.config.dataDir);
    if (down) return { up: false, problem: down, fence: this.fence(), ...(hold ? { hold } : {}) };
    this.inFlight ??= this.probe().finally(() => (this.inFlight = undefined));
    const view = await this.inFlight;
    return hold ? { ...view, hold } : view;
  }

  private async connect(): Promise<Client> {
    const { default: pg } = await import('pg');
    const { config } = this;
    const client = new pg.Client({
      host: config.socketDir,
      port: config.pgPort,
      user: config.user,
      database: config.database,
      application_name: 'ha-install agent',
      connectionTimeoutMillis: config.timeoutMs,
      statement_timeout: config.timeoutMs,
      options: '-c default_transaction_read_only=on',
    });
    client.on('error', (error) => {
      this.say(`database connection lost: ${error.message}`);
      this.drop(client);
    });
    client.on('end', () => this.drop(client));
    await client.connect();
    this.say(`connected to PostgreSQL ${config.cluster} as ${config.user} over ${config.socketDir}`);
    return client;
  }

  private drop(client: Client): void {
    if (this.client === client) this.client = undefined;
    // Never waits for a stuck backend: the socket goes now.
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }

  private async probe(): Promise<NodeView> {
    const fence = this.fence();
    const down = postmasterProblem(this.config.dataDir);
    if (down) return { up: false, problem: down, fence };
    if (Date.now() < this.failedUntil && this.lastFailure) return { ...this.lastFailure, fence };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from PostgreSQL within ${this.config.timeoutMs} ms`)), this.config.timeoutMs);
    });
    let client = this.client;
    try {
      if (!client) {
        const connecting = this.connect();
        try {
          client = this.client = await Promise.race([connecting, timeout]);
        } catch (error) {
          connecting.then((late) => late.end().catch(() => undefined), () => undefined); // a connection that comes too late is closed
          throw error;
        }
      }
      const result = await Promise.race([client.query<Row>({ name: 'ha_install_agent_probe', text: SQL }), timeout]);
      const row = result.rows[0]!;
      return {
        up: true,
        role: row.standby ? 'standby' : 'primary',
        timeline: row.timeline ?? undefined,
        lsn: row.lsn ?? undefined,
        receiver: row.receiver ?? undefined,
        lagBytes: row.lag === null ? undefined : Number(row.lag),
        fence,
      };
    } catch (error) {
      if (client) this.drop(client);
      else this.client = undefined;
      this.failedUntil = Date.now() + 250;
      this.lastFailure = { up: false, problem: error instanceof Error ? error.message : String(error), fence };
      return this.lastFailure;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.client) await this.client.end().catch(() => undefined);
  }
}
