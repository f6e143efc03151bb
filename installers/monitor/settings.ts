import type { Timings } from './decide.js';

/**
 * The order that makes automatic failover safe, in numbers. Let the link to the master break at
 * T. The master's last good look at its standby and the witness ended at T at the latest; it
 * looks every `interval` for at most `timeout`, so it finds them unseen for `fenceAfter` at
 * T + fenceAfter + interval + timeout at the latest, and is fenced (the runtime fence for the
 * agent, then PostgreSQL stopped at once) within FENCE_ACTION_MS more. The standby's last good
 * look at the master ended at T - interval - timeout at the earliest, so it cannot promote
 * before T - interval - timeout + failoverAfter. Hence
 *
 *   failoverAfter > fenceAfter + 2 * (interval + timeout) + FENCE_ACTION_MS + MARGIN_MS
 *
 * With the defaults (interval 300 ms, timeout 250 ms, fence after 0.8 s): at least 2.4 s; the
 * default failover-after is 2.5 s. The master's turn also looks at its own agent first, which
 * this assumes quick (it is local); a master so loaded that its own agent answers slowly fences
 * later by that much (README, "What it does not cover"). A write reaches the new primary through
 * the balancer about 3 s after the master died (detection, the witness, promote, HAProxy's
 * checks; `npm run bench:failover`).
 */
export const FENCE_ACTION_MS = 200;
export const MARGIN_MS = 300;

export function minimumFailoverAfterMs(t: Pick<Timings, 'intervalMs' | 'checkTimeoutMs' | 'fenceAfterMs'>): number {
  return t.fenceAfterMs + 2 * (t.intervalMs + t.checkTimeoutMs) + FENCE_ACTION_MS + MARGIN_MS;
}
