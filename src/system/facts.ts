import { accessSync, constants, existsSync, readdirSync, readFileSync, statfsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import si from 'systeminformation';
import { localAddresses, type LocalAddress } from './address.js';
import { InputError } from './errors.js';
import { readRegularFile } from './safe-read.js';
import { printable } from './text-checks.js';
import type { SecurityFacts } from '../../installers/firewall/firewall.js';

/**
 * What ha-install knows about the machine, as plain JSON. Gathered live by `gatherFacts()`, or
 * read from a recorded machine (`--facts FILE`, test/fixtures/machines/*.json) so that tests
 * and dry runs can replay a 2 GB VM or an unsupported OS on any machine.
 */
export interface MachineFacts {
  hostname: string;
  os: { platform: string; distro: string; release: string; codename: string; family: OsFamily; id: string };
  memoryBytes: number;
  cores: number;
  /** Free bytes on the filesystem that will hold the database (`disk.path`). */
  disk: { path: string; mount: string; freeBytes: number; sizeBytes: number };
  isRoot: boolean;
  init: 'systemd' | 'none';
  addresses: LocalAddress[];
  tools: { ping: boolean; apt: boolean; dnf: boolean; yum: boolean; pgCreateCluster: boolean; ip: boolean };
  /** Major versions of PostgreSQL server binaries found under /usr/lib/postgresql or /usr/pgsql-*. */
  postgresqlVersions: number[];
  /**
   * Firewall and SELinux: only in recorded machines (a dry run of each case anywhere); on a live
   * machine they are read from the tools when the plan is built (installers/firewall).
   */
  security?: SecurityFacts;
}

export type OsFamily = 'debian' | 'rhel' | 'unsupported';

/** Where the database lives by OS family: the requirement check measures free disk there. */
export function databasePath(family: OsFamily): string {
  return family === 'rhel' ? '/var/lib/pgsql' : '/var/lib/postgresql';
}

export function osFamily(id: string, idLike: string): OsFamily {
  const names = `${id} ${idLike}`.toLowerCase();
  if (/\b(debian|ubuntu)\b/.test(names)) return 'debian';
  if (/\b(rhel|centos|fedora|rocky|almalinux|ol)\b/.test(names)) return 'rhel';
  return 'unsupported';
}

/** /etc/os-release, or /usr/lib/os-release where /etc has none (os-release(5)). */
function readOsRelease(): Record<string, string> {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return Object.fromEntries(
        readFileSync(path, 'utf8')
          .split('\n')
          .map((line) => line.match(/^([A-Z_]+)=("?)(.*)\2$/))
          .filter((m): m is RegExpMatchArray => m !== null)
          .map((m) => [m[1]!, m[3]!]),
      );
    } catch {
      // try the next one
    }
  }
  return {};
}

function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current) && current !== dirname(current)) current = dirname(current);
  return current;
}

/** Whether `name` is an executable file on PATH, as `command -v` would find it, without a shell per name. */
function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => {
    const path = join(dir || '.', name);
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
}

export function detectInit(): 'systemd' | 'none' {
  if (existsSync('/run/systemd/system')) return 'systemd';
  try {
    return readFileSync('/proc/1/comm', 'utf8').trim() === 'systemd' ? 'systemd' : 'none';
  } catch {
    return 'none';
  }
}

/** Major versions of the PostgreSQL servers installed now (re-read after the package step). */
export function postgresqlVersions(): number[] {
  const versions = new Set<number>();
  for (const base of ['/usr/lib/postgresql']) {
    try {
      for (const entry of readdirSafe(base)) if (existsSync(`${base}/${entry}/bin/postgres`)) versions.add(Number(entry));
    } catch {
      /* no PostgreSQL installed: an empty list says so */
    }
  }
  for (const entry of readdirSafe('/usr')) {
    const m = entry.match(/^pgsql-(\d+)$/);
    if (m && existsSync(`/usr/${entry}/bin/postgres`)) versions.add(Number(m[1]));
  }
  return [...versions].filter((v) => Number.isInteger(v)).sort((a, b) => a - b);
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** Reads the live machine: systeminformation gives memory, cores and filesystems; /etc/os-release the OS. */
export async function gatherFacts(): Promise<MachineFacts> {
  const release = readOsRelease();
  // Not si.osInfo(): what it adds to os-release (FQDN, code page, a UUID from the MAC
  // addresses) costs ~30 ms of synchronous execs, and ha-install needs none of it.
  const [mem, cpu, filesystems] = await Promise.all([si.mem(), si.cpu(), si.fsSize()]);
  const family = osFamily(release.ID ?? '', release.ID_LIKE ?? '');
  const dbPath = databasePath(family);
  const measured = nearestExisting(dbPath);
  const stats = statfsSync(measured);
  const mount = filesystems
    .map((f) => f.mount)
    .filter((m) => measured === m || measured.startsWith(m.endsWith('/') ? m : `${m}/`))
    .sort((a, b) => b.length - a.length)[0];
  return {
    hostname: hostname(),
    os: {
      platform: process.platform,
      distro: release.NAME ?? 'unknown (no /etc/os-release)',
      release: release.VERSION_ID ?? '',
      codename: release.VERSION_CODENAME ?? '',
      family,
      id: release.ID ?? 'unknown',
    },
    memoryBytes: mem.total,
    cores: cpu.cores,
    disk: { path: dbPath, mount: mount ?? '/', freeBytes: stats.bavail * stats.bsize, sizeBytes: stats.blocks * stats.bsize },
    isRoot: typeof process.getuid === 'function' ? process.getuid() === 0 : false,
    init: detectInit(),
    addresses: localAddresses(),
    tools: { ping: onPath('ping'), apt: onPath('apt-get'), dnf: onPath('dnf'), yum: onPath('yum'), pgCreateCluster: onPath('pg_createcluster'), ip: onPath('ip') },
    postgresqlVersions: postgresqlVersions(),
  };
}

/** Reads a recorded machine (JSON) for tests and dry runs. */
export function loadFacts(path: string): MachineFacts {
  const read = readRegularFile(path, 1024 * 1024);
  const fix = 'give a machine recorded as JSON, like test/fixtures/machines/good-server.json';
  if (!read.ok) throw new InputError(`The recorded machine ${path} cannot be used.`, [{ field: '--facts', message: `${path} ${read.detail}`, fix }]);
  try {
    return JSON.parse(read.text) as MachineFacts;
  } catch (error) {
    throw new InputError(`The recorded machine ${path} cannot be used.`, [{ field: '--facts', message: `${path} is not valid JSON (${printable((error as Error).message, 80)})`, fix }]);
  }
}
