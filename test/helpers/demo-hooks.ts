import type { TestFn } from 'ava';
import type { CliResult } from './cli.js';
import type { DemoEnv } from './demo.js';
import { acquireLoopbackLock, releaseLoopbackLock } from './loopback-lock.js';

/**
 * The hooks of a test file that builds one demo pair: the loopback lock, what an earlier run
 * left cleared, the demo up (a failed one fails the file with its output) and then `up` for
 * what the file adds; after every test, `down` first (a network to heal), the pair removed,
 * the lock released.
 */
export function useDemo(test: TestFn, env: DemoEnv, hooks: { up?: (demo: CliResult) => Promise<void> | void; down?: () => Promise<void> } = {}): void {
  test.before(async (t) => {
    t.timeout(6 * 60_000); // the lock may wait for the other files that use 127.0.0.11/12
    await acquireLoopbackLock({ log: (line) => t.log(line) });
    await env.clearLeftovers();
    const demo = await env.demo();
    if (demo.exitCode !== 0) throw new Error(`demo failed (${demo.exitCode}):\n${demo.stderr.slice(-3000)}`);
    await hooks.up?.(demo);
  });
  test.after.always(async () => {
    try {
      await hooks.down?.();
      await env.cleanup();
    } finally {
      releaseLoopbackLock();
    }
  });
}
