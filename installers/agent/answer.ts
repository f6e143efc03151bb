import type { FenceState } from '../postgresql/fence.js';

/**
 * What the agent answers, as a pure function of what it read: the Patroni paths HAProxy users
 * know, each 200 or 503, with a JSON body that holds no secret. A fenced node answers 503 on
 * everything but /health: its data may have diverged, so neither writes nor reads belong there.
 */
export type Check = 'primary' | 'replica' | 'read-only' | 'health';

/** What the agent knows of its node at one moment. */
export interface NodeView {
  /** PostgreSQL answered the probe just now. */
  up: boolean;
  /** Why not: not running, stalled, no answer in time, login refused. */
  problem?: string;
  role?: 'primary' | 'standby';
  timeline?: number;
  lsn?: string;
  /** The walreceiver's status on a standby (`streaming`), undefined when none runs. */
  receiver?: string;
  /** A standby: WAL the primary has (as last reported) that is not replayed here yet, in bytes. */
  lagBytes?: number;
  fence: FenceState;
  /** A hold on the failover monitors (installers/monitor/hold.ts): why, while it lasts. */
  hold?: string;
}

export interface Verdict {
  status: 200 | 503;
  body: Record<string, unknown>;
}

export const paths: Record<string, Check> = {
  '/': 'primary',
  '/primary': 'primary',
  '/master': 'primary',
  '/leader': 'primary',
  '/read-write': 'primary',
  '/replica': 'replica',
  '/standby': 'replica',
  '/read-only': 'read-only',
  '/health': 'health',
};

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** `?lag=` as Patroni takes it: bytes, or a number with kB, MB, GB or TB (1024-based, as PostgreSQL counts). */
export function parseLag(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?b?)\s*$/i.exec(value);
  if (!m) return undefined;
  const factor = UNITS[m[2]!.toLowerCase().replace(/^([kmgt])$/, '$1b')];
  return factor === undefined ? undefined : Math.floor(Number(m[1]) * factor);
}

function passes(check: Check, view: NodeView, lagLimit: number | undefined): { ok: boolean; why?: string } {
  if (!view.up) return { ok: false, why: view.problem ?? 'PostgreSQL does not answer' };
  if (check === 'health') return { ok: true };
  if (view.fence.fenced) return { ok: false, why: `fenced (${view.fence.source}): ${view.fence.reason ?? 'no reason given'}` };
  const streaming = view.role === 'standby' && view.receiver === 'streaming';
  switch (check) {
    case 'primary':
      return view.role === 'primary' ? { ok: true } : { ok: false, why: 'a standby, not the writable primary' };
    case 'replica':
    case 'read-only': {
      if (check === 'read-only' && view.role === 'primary') return { ok: true };
      if (!streaming) return { ok: false, why: view.role === 'primary' ? 'the primary, not a replica' : `a standby that does not stream (walreceiver: ${view.receiver ?? 'none'})` };
      if (lagLimit !== undefined && (view.lagBytes ?? Infinity) > lagLimit) return { ok: false, why: `lags ${view.lagBytes ?? '?'} bytes behind, more than the ${lagLimit} allowed` };
      return { ok: true };
    }
  }
}

export function answer(check: Check, view: NodeView, options: { cluster: string; lagLimit?: number }): Verdict {
  const { ok, why } = passes(check, view, options.lagLimit);
  const body: Record<string, unknown> = {
    check,
    ok,
    cluster: options.cluster,
    state: view.up ? 'running' : 'unavailable',
    role: !view.up ? 'unknown' : view.role === 'standby' ? 'replica' : 'primary',
    ...(view.timeline !== undefined ? { timeline: view.timeline } : {}),
    ...(view.lsn !== undefined ? { wal_position: view.lsn } : {}),
    ...(view.role === 'standby' ? { replication_state: view.receiver ?? 'none', lag_bytes: view.lagBytes ?? null } : {}),
    ...(options.lagLimit !== undefined ? { lag_limit_bytes: options.lagLimit } : {}),
    fenced: view.fence.fenced,
    ...(view.fence.fenced ? { fence: { source: view.fence.source, reason: view.fence.reason } } : {}),
    ...(view.hold ? { hold: view.hold } : {}),
    ...(why ? { why } : {}),
  };
  return { status: ok ? 200 : 503, body };
}
