import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * One test file at a time may change the loopback pair (127.0.0.11/12 aliases and their
 * `src` routes) and the PostgreSQL clusters on it. ava runs files in parallel processes, so
 * the lock is a directory made with an atomic mkdir; inside, `owner` holds the PID and the
 * process start time (so a reused PID is not taken for the owner). A lock whose owner is
 * gone is stale and taken over.
 */

const lockDir = join(existsSync('/run/lock') ? '/run/lock' : tmpdir(), 'ha-install-loopback.lock');
const ownerFile = join(lockDir, 'owner');
let held = 0;

/** Field 22 of /proc/<pid>/stat: the start time in clock ticks; undefined when the process is gone. */
function startTime(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[19];
  } catch {
    return undefined;
  }
}

const me = () => `${process.pid} ${startTime(process.pid)}`;

/** The owner line, or undefined while the owner is between its mkdir and its write. */
function owner(): string | undefined {
  try {
    return readFileSync(ownerFile, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function isStale(line: string | undefined): boolean {
  if (line === undefined) {
    // Made but never written: only stale if it stays so (an owner killed between the two steps).
    try {
      return Date.now() - statSync(lockDir).mtimeMs > 10_000;
    } catch {
      return false; // released meanwhile
    }
  }
  const [pid, started] = line.split(' ');
  return startTime(Number(pid)) !== started;
}

/** Moves a stale lock out of the way; puts it back if it turned out to be a fresh one. */
function breakStale(seen: string | undefined): void {
  const aside = `${lockDir}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(lockDir, aside);
  } catch {
    return; // someone else broke it first
  }
  let found: string | undefined;
  try {
    found = readFileSync(join(aside, 'owner'), 'utf8').trim() || undefined;
  } catch {
    found = undefined;
  }
  if (found !== seen && found !== undefined && !isStale(found)) {
    try {
      renameSync(aside, lockDir); // a live owner's lock taken by a race: give it back
      return;
    } catch {
      // a third process holds the name now; the live owner still runs unharmed
    }
  }
  rmSync(aside, { recursive: true, force: true });
}

export async function acquireLoopbackLock(options: { timeoutMs?: number; log?: (line: string) => void } = {}): Promise<void> {
  if (held > 0) {
    held++;
    return;
  }
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir, { mode: 0o700 });
      writeFileSync(ownerFile, me() + '\n');
      held = 1;
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const line = owner();
    if (isStale(line)) {
      options.log?.(`loopback lock: breaking the stale lock of ${line ?? 'a process that never wrote its PID'}`);
      breakStale(line);
      continue;
    }
    if (Date.now() > deadline) throw new Error(`loopback lock ${lockDir} still held by ${line} after ${timeoutMs / 1000} s`);
    if (!announced) options.log?.(`loopback lock: waiting for ${line} (${lockDir})`);
    announced = true;
    await delay(250);
  }
}

export function releaseLoopbackLock(): void {
  if (held === 0) return;
  if (--held > 0) return;
  if (owner() === me()) rmSync(lockDir, { recursive: true, force: true });
}

// A worker that dies (timeout, uncaught error) still frees the lock; kill -9 leaves it stale.
process.on('exit', () => {
  held = Math.min(held, 1);
  releaseLoopbackLock();
});
