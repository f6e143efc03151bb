import { execa } from 'execa';

/**
 * What the benchmarks that build a demo pair share: a network namespace of their own (the
 * pair's loopback routes never touch the host's, nor an admin's demo), and numeric options.
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
