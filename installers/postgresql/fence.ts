import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { StepAction } from '../../src/engine/actions.js';
import { join } from 'node:path';
import type { ClusterRef } from './cluster.js';
import { readStandbySignal } from './standby-signal.js';

/**
 * Whether a node is fenced: it must take no client, whatever PostgreSQL itself would allow.
 * Two sources, each with its writer:
 *  (a) the start guard's mark in standby.signal (guard.ts): an old master started while its
 *      peer is the primary; it runs read-only until restore-master clears the mark;
 *  (b) the runtime fence, /run/ha-install/fence-<pg version>-<cluster>: a JSON file whose
 *      content says why and who. The failover monitor writes it (a master that sees neither
 *      its peer nor the witness) and removes it; /run is empty after a boot, by design: the
 *      start guard decides then.
 * The agent reads both on every request (two stats; the files are only read when they
 * changed) and answers 503 on /primary at once when either says fenced.
 */

export const FENCE_DIR = '/run/ha-install';

export const runtimeFencePath = (ref: ClusterRef, dir = FENCE_DIR) => join(dir, `fence-${ref.version}-${ref.name}`);

export interface RuntimeFence {
  reason: string;
  /** Who fenced: `monitor`, `admin`, a test. */
  by: string;
  at: string;
}

export interface FenceState {
  fenced: boolean;
  source?: 'start guard' | 'runtime';
  reason?: string;
  /** The command that lifts it, when known (the start guard's restore-master). */
  restore?: string;
}

/** Fences the node now (atomically: a reader sees the whole file or none). */
export function writeRuntimeFence(ref: ClusterRef, fence: Omit<RuntimeFence, 'at'>, dir = FENCE_DIR): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const path = runtimeFencePath(ref, dir);
  writeFileSync(`${path}.tmp`, JSON.stringify({ ...fence, at: new Date().toISOString() }) + '\n', { mode: 0o644 });
  renameSync(`${path}.tmp`, path);
}

export function clearRuntimeFence(ref: ClusterRef, dir = FENCE_DIR): void {
  rmSync(runtimeFencePath(ref, dir), { force: true });
}

/** The runtime fence as written; a file that is there but unreadable or damaged still fences. */
export function readRuntimeFence(path: string): FenceState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { fenced: false };
    return { fenced: true, source: 'runtime', reason: `${path} is there but cannot be read` };
  }
  try {
    const fence = JSON.parse(text) as Partial<RuntimeFence>;
    return { fenced: true, source: 'runtime', reason: `${fence.reason ?? 'no reason given'} (by ${fence.by ?? '?'} at ${fence.at ?? '?'})` };
  } catch {
    return { fenced: true, source: 'runtime', reason: `${path} is there (not valid JSON): fenced to be safe` };
  }
}

/** Both sources, read now: the start guard's mark first (it needs restore-master), then the runtime fence. */
export function readFence(ref: ClusterRef, dataDir: string, dir = FENCE_DIR): FenceState {
  const signal = readStandbySignal(dataDir);
  if (signal?.fenced) return { fenced: true, source: 'start guard', reason: signal.reason, restore: signal.restore };
  return readRuntimeFence(runtimeFencePath(ref, dir));
}

/** A `stat` key: the file is read again only when it is a different file or was written since. */
const statKey = (path: string): string => {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'none';
  }
};

/** readFence for a process that asks many times a second (the agent): re-reads only what changed. */
export function fenceWatcher(ref: ClusterRef, dataDir: string, dir = FENCE_DIR): () => FenceState {
  const paths = [join(dataDir, 'standby.signal'), runtimeFencePath(ref, dir)];
  let key = '';
  let last: FenceState = { fenced: false };
  return () => {
    const now = paths.map(statKey).join('|');
    if (now !== key) [key, last] = [now, readFence(ref, dataDir, dir)];
    return last;
  };
}

/**
 * The step that lifts the runtime fence, planned only when there is one: promote and
 * restore-master make this node what the pair needs it to be, so the agent may pass it again.
 * A run file (in /run, gone at boot): removed, not backed up.
 */
export function liftRuntimeFenceActions(ref: ClusterRef, dir = FENCE_DIR): StepAction[] {
  const path = runtimeFencePath(ref, dir);
  if (!existsSync(path)) return [];
  const fence = readRuntimeFence(path);
  return [
    {
      kind: 'step',
      id: 'postgresql.lift-runtime-fence',
      title: `Lift the runtime fence ${path}`,
      detail: [`it says: ${fence.reason ?? 'fenced'}`, 'the agent answers on /primary and /replica again as the node is'],
      run: async () => {
        clearRuntimeFence(ref, dir);
        return 'lifted';
      },
    },
  ];
}
