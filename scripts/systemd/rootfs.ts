import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The booted Debian 12 the systemd cases run in: a debootstrap root filesystem, cached under
 * /var/cache/ha-install-systemd/ by a key made of everything that decides its content (suite,
 * variant, package list, recipe). A changed list gets a new key, so a new build; the old
 * one is dropped once no run uses it.
 *
 * Atomic: the build happens in `build-<key>.<pid>` and is renamed to `rootfs-<key>` only once
 * complete, so a killed build never leaves a half cache (its folder is removed by the next run).
 * No package script can start a server during the build: debootstrap's second stage puts a
 * policy-rc.d that refuses every start in place, and we run that stage with no network and
 * in its own PID and mount namespaces, which die with it (and it with us).
 */

export const CACHE = '/var/cache/ha-install-systemd';
const SUITE = 'bookworm';
const VARIANT = 'minbase';
/** systemd as PID 1 and what ha-install manages; libstdc++6 for the node binary copied in from the host. */
export const PACKAGES = ['systemd', 'systemd-sysv', 'dbus', 'iproute2', 'procps', 'postgresql-15', 'haproxy', 'iputils-ping', 'libstdc++6'];
/** Bump when the build steps below change what ends up in the tree. */
const RECIPE = 1;

export const rootfsKey = (): string =>
  createHash('sha256').update(JSON.stringify({ SUITE, VARIANT, PACKAGES, RECIPE })).digest('hex').slice(0, 12);

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`);

/** The Debian mirror apt already uses here (deb822 sources first, then sources.list). */
export function debianMirror(): string {
  const deb822 = '/etc/apt/sources.list.d/debian.sources';
  if (existsSync(deb822)) {
    for (const stanza of readFileSync(deb822, 'utf8').split(/\n\s*\n/)) {
      const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
      if (field('Suites').includes(SUITE) && field('Types').includes('deb')) return field('URIs')[0]!;
    }
  }
  const list = existsSync('/etc/apt/sources.list') ? readFileSync('/etc/apt/sources.list', 'utf8') : '';
  const line = new RegExp(`^deb\\s+(?:\\[[^\\]]*\\]\\s+)?(\\S+)\\s+${SUITE}\\s`, 'm').exec(list);
  if (line) return line[1]!;
  throw new Error(`no apt source for Debian ${SUITE} in ${deb822} or /etc/apt/sources.list: debootstrap needs its mirror`);
}

/** Removes builds whose builder is gone and, when no run is live, root filesystems of other keys. */
function sweep(key: string, liveRuns: () => boolean): void {
  for (const entry of readdirSync(CACHE)) {
    const build = /^build-\w+\.(\d+)$/.exec(entry);
    if (build && !alive(Number(build[1]))) rmSync(join(CACHE, entry), { recursive: true, force: true });
    if (/^rootfs-\w+$/.test(entry) && entry !== `rootfs-${key}` && !liveRuns()) rmSync(join(CACHE, entry), { recursive: true, force: true });
  }
}

/** Runs argv in new PID and mount namespaces that end, with all they started, when we end. */
async function contained(argv: string[], log: string, options: { network: boolean }): Promise<void> {
  const ns = ['--pid', '--fork', '--kill-child', '--mount', '--propagation', 'private', ...(options.network ? [] : ['--net'])];
  const result = await execa('setpriv', ['--pdeathsig', 'KILL', '--', 'unshare', ...ns, '--', ...argv], { reject: false, all: true, stdin: 'ignore' });
  writeFileSync(log, String(result.all ?? ''), { flag: 'a' });
  if (result.exitCode !== 0) throw new Error(`${argv.join(' ')} exited with ${result.exitCode ?? result.signal}; see ${log}:\n${String(result.all ?? '').trim().split('\n').slice(-8).join('\n')}`);
}

/** The cached root filesystem, built first when missing. `say` reports what takes time. */
export async function ensureRootfs(say: (line: string) => void, liveRuns: () => boolean): Promise<string> {
  mkdirSync(CACHE, { recursive: true, mode: 0o700 });
  const key = rootfsKey();
  const dir = join(CACHE, `rootfs-${key}`);
  sweep(key, liveRuns);
  if (existsSync(dir)) return dir;
  const build = join(CACHE, `build-${key}.${process.pid}`);
  const log = join(CACHE, `build-${key}.log`); // kept when the build fails
  rmSync(log, { force: true });
  const started = Date.now();
  say(`building the Debian ${SUITE} root filesystem ${dir} (${PACKAGES.join(', ')})`);
  try {
    await contained(['debootstrap', '--foreign', `--variant=${VARIANT}`, `--include=${PACKAGES.join(',')}`, SUITE, build, debianMirror()], log, { network: true });
    await contained(['chroot', build, '/debootstrap/debootstrap', '--second-stage'], log, { network: false });
    rmSync(join(build, 'var/cache/apt/archives'), { recursive: true, force: true });
    mkdirSync(join(build, 'var/cache/apt/archives/partial'), { recursive: true });
    renameSync(build, dir);
  } catch (error) {
    rmSync(build, { recursive: true, force: true });
    if (existsSync(dir)) return dir; // a concurrent run finished the same build first
    throw error;
  }
  rmSync(log, { force: true });
  say(`root filesystem built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}
