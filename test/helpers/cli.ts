import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { postgresqlVersions } from '../../src/system/facts.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const bin = join(root, 'bin', 'ha-install.js');

export interface Netns {
  /** Loopback aliases to add inside the namespace (this machine's "own" addresses there). */
  addresses?: string[];
  /** Addresses made unreachable inside the namespace (route type unreachable): a dead peer. */
  unreachable?: string[];
  /** Nothing in the namespace answers ping (net.ipv4.icmp_echo_ignore_all, a per-namespace sysctl): a silent host. */
  silent?: boolean;
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real ha-install binary. With `netns`, it runs under `unshare --net`: a private
 * network namespace with only loopback, where anything aimed off the machine fails at once.
 */
/**
 * The binary as another user can run it. A clone inside a folder only root may enter (a
 * private temp dir, say) is copied once to a world-readable place for the not-root tests.
 */
async function binFor(user: string): Promise<string> {
  const readable = await execa('runuser', ['-u', user, '--', 'test', '-r', join(root, 'dist', 'cli.js')], { reject: false });
  if (readable.exitCode === 0) return bin;
  const copy = join('/tmp', `ha-install-as-${user}`);
  await execa('rm', ['-rf', copy]);
  await execa('mkdir', ['-p', '-m', '755', copy]);
  await execa('cp', ['-a', join(root, 'bin'), join(root, 'dist'), join(root, 'node_modules'), join(root, 'package.json'), copy]);
  await execa('chmod', ['-R', 'a+rX', copy]);
  return join(copy, 'bin', 'ha-install.js');
}

export async function runCli(args: string[], options: { netns?: Netns; env?: Record<string, string>; input?: string; user?: string; cwd?: string; wrap?: string[] } = {}): Promise<CliResult> {
  // `wrap`: a program the node process runs under (e.g. /usr/bin/time, strace), inside the namespace.
  let argv = [...(options.wrap ?? []), 'node', options.user ? await binFor(options.user) : bin, ...args];
  if (options.user) argv = ['runuser', '-u', options.user, '--', ...argv];
  if (options.netns) {
    const setup = [
      'ip link set lo up',
      ...(options.netns.addresses ?? []).map((a) => `ip addr add ${a}/32 dev lo`),
      ...(options.netns.unreachable ?? []).map((a) => `ip route add unreachable ${a}/32 table local`),
      ...(options.netns.silent ? ['sysctl -qw net.ipv4.icmp_echo_ignore_all=1'] : []),
      'exec "$@"',
    ].join(' && ');
    argv = ['unshare', '--net', '--', 'sh', '-c', setup, 'sh', ...argv];
  }
  const result = await execa(argv[0]!, argv.slice(1), {
    reject: false,
    env: { FORCE_COLOR: '0', ...options.env },
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    cwd: options.cwd ?? root,
    timeout: 120_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** A fingerprint of every file under the given paths (content, mode), to prove nothing changed. */
export function snapshot(paths: string[]): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    if (!existsSync(path)) return hash.update(`missing ${path}\n`);
    const info = statSync(path);
    hash.update(`${path} ${info.mode}\n`);
    if (info.isDirectory()) for (const entry of readdirSync(path).sort()) walk(join(path, entry));
    else if (info.isFile()) hash.update(readFileSync(path));
  };
  for (const path of paths) walk(path);
  return hash.digest('hex');
}

/** The default cluster's configuration, for the installed major (a missing one would prove nothing). */
export const mainCluster = `/etc/postgresql/${postgresqlVersions().at(-1) ?? 'none'}/main`;

/** Stops and removes the named ha-install services a test started (those still installed), through ha-install itself. */
export async function removeServices(names: string[]): Promise<void> {
  const { installedServices } = await import('../../installers/services/spec.js');
  const left = names.filter((name) => installedServices().includes(name));
  if (left.length === 0) return;
  const r = await runCli(['service', 'remove', ...left, '--yes', '--state-dir', join(tmpdir(), 'ha-install-test-services'), '--log-dir', join(tmpdir(), 'ha-install-test-services')]);
  if (r.exitCode !== 0) throw new Error(`service remove ${left.join(' ')} failed:\n${r.stderr}`);
}
