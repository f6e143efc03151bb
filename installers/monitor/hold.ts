import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterRef } from '../postgresql/cluster.js';
import { FENCE_DIR } from '../postgresql/fence.js';

/**
 * A hold on the failover monitors while ha-install itself changes the pair (a switchover stops
 * the master on purpose, and for a while both nodes are standbys): `/run/ha-install/hold-<pg
 * version>-<cluster>`, a JSON file with a deadline, so a run that dies half-way holds nothing
 * for long. This node's monitor reads the file; the peer's monitor reads it through this
 * node's agent (its answer carries `hold`), so neither fails over nor fences during the change.
 * A partition during the change hides the hold from the peer: then the usual rules apply.
 * The holder renews it while it runs (keepHold) and removes it when done, undone or failed.
 */

/** How long a hold lasts unless renewed, and how often its holder renews it. */
export const HOLD_SECONDS = 20;
const RENEW_MS = 5000;
export const holdPath = (ref: ClusterRef, dir = FENCE_DIR) => join(dir, `hold-${ref.version}-${ref.name}`);

export interface Hold {
  reason: string;
  /** Date.now() after which the hold is over by itself. */
  until: number;
}

export function writeHold(ref: ClusterRef, reason: string, seconds = HOLD_SECONDS, dir = FENCE_DIR): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const path = holdPath(ref, dir);
  writeFileSync(`${path}.tmp`, JSON.stringify({ reason, until: Date.now() + seconds * 1000 }) + '\n', { mode: 0o644 });
  renameSync(`${path}.tmp`, path);
}

export function clearHold(ref: ClusterRef, dir = FENCE_DIR): void {
  rmSync(holdPath(ref, dir), { force: true });
}

/** The hold in force, if any: an expired or damaged file holds nothing (it must never stop a failover for good). */
export function readHold(ref: ClusterRef, dir = FENCE_DIR, now = Date.now()): Hold | undefined {
  try {
    const hold = JSON.parse(readFileSync(holdPath(ref, dir), 'utf8')) as Partial<Hold>;
    return typeof hold.until === 'number' && hold.until > now && typeof hold.reason === 'string' ? { reason: hold.reason, until: hold.until } : undefined;
  } catch {
    return undefined; // no file (the usual case), or one being replaced
  }
}

/**
 * Holds the monitors for as long as this process runs the change: the hold is written now and
 * renewed every few seconds, so a run that takes long stays held, and a run that dies (kill -9)
 * holds nothing for more than HOLD_SECONDS. The returned function releases it.
 */
export function keepHold(ref: ClusterRef, reason: string): () => void {
  writeHold(ref, reason);
  const timer = setInterval(() => writeHold(ref, reason), RENEW_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    clearHold(ref);
  };
}
