import { execa } from 'execa';
import type { DemoEnv } from '../test/helpers/demo.js';
import { acquireLoopbackLock, releaseLoopbackLock } from '../test/helpers/loopback-lock.js';

/**
 * What the benchmarks that build a demo pair share: a network namespace of their own (the
 * pair's loopback routes never touch the host's, nor an admin's demo), numeric options, and
 * the demo pair's life around the measurements.
 */

/** Runs this very script again under `unshare --net` (loopback up) and exits with its code; returns inside it. */
export async function inOwnNetworkNamespace(): Promise<void> {
  if (process.env.HA_BENCH_NETNS) return;
  const inner = await execa('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    reject: false,
    env: { ...process.env, HA_BENCH_NETNS: '1' },
  });
  process.exit(inner.exitCode ?? 1);
}

/** `--name N` from the command line: a whole number of at least 1, else the fallback. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Math.max(1, Number(process.argv[i + 1]) || fallback);
}

/**
 * Runs `measure` on the benchmark's own demo pair: the loopback lock taken, an earlier run's
 * leftovers cleared, the demo up; the pair always taken down and the lock released after. A
 * failure is printed and sets exit code 1.
 */
export async function onDemo(env: DemoEnv, what: string, measure: () => Promise<void>): Promise<void> {
  try {
    await acquireLoopbackLock({ timeoutMs: 15 * 60_000, log: (line) => console.error(line) });
    await env.clearLeftovers();
    console.error(`bringing up ${what} ...`);
    const demo = await env.demo();
    if (demo.exitCode !== 0) throw new Error(`demo failed:\n${demo.stderr.slice(-2000)}`);
    await measure();
  } catch (error) {
    process.exitCode = 1;
    console.error(`\nbench failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await env.cleanup().catch((error: unknown) => console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`));
    releaseLoopbackLock();
  }
}
