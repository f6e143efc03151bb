import { existsSync, readFileSync } from 'node:fs';
import type { CommandAction, ServiceAction } from '../../src/engine/actions.js';
import { ApplyError } from '../../src/system/errors.js';
import { run } from '../../src/system/exec.js';
import type { Logger } from '../../src/system/log.js';
import { CONF_FILE_NAME } from './config.js';

/** One Debian PostgreSQL cluster (postgresql-common): `/etc/postgresql/<version>/<name>`. */
export interface ClusterRef {
  version: number;
  name: string;
}

export interface Cluster extends ClusterRef {
  exists: boolean;
  confDir: string;
  dataDir: string;
  /** Configured port and socket directory (what the next start uses). */
  port: number;
  socketDir: string;
  running: boolean;
  inRecovery: boolean;
  /** What pg_ctlcluster reads to start it: its log file, owner, start.conf and postgresql.conf values. */
  start?: ClusterStartInfo;
}

export interface ClusterStartInfo {
  logFile?: string;
  ownerUid: number;
  /** start.conf: auto, manual or disabled. */
  mode: string;
  /** postgresql.conf settings as pg_lsclusters reads them (includes followed), by lower-case name. */
  config: Record<string, string>;
}

export type ServiceOp = 'start' | 'stop' | 'restart' | 'reload' | 'promote';

interface LsCluster {
  version: number;
  cluster: string;
  port: string;
  pgdata: string;
  socketdir: string;
  configdir: string;
  running: number;
  recovery?: number;
  logfile?: string;
  owneruid?: number;
  start?: string;
  config?: Record<string, string>;
}

export const binDir = (version: number): string => `/usr/lib/postgresql/${version}/bin`;
export const confFilePath = (c: ClusterRef): string => `/etc/postgresql/${c.version}/${c.name}/conf.d/${CONF_FILE_NAME}`;
export const hbaPath = (c: ClusterRef): string => `/etc/postgresql/${c.version}/${c.name}/pg_hba.conf`;
export const identPath = (c: ClusterRef): string => `/etc/postgresql/${c.version}/${c.name}/pg_ident.conf`;

/** What postmaster.pid says of the running server (its lines 1, 4, 5 and 8). */
export interface PostmasterPid {
  pid: number;
  /** Absent while the file is still being written. */
  port?: number;
  /** The first socket directory. */
  socketDir: string;
  /** starting, ready (a primary), standby (accepting connections) or stopping; '' until written. */
  status: string;
}

export function readPostmasterPid(dataDir: string): PostmasterPid | undefined {
  try {
    const lines = readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n');
    const [pid, port] = [Number(lines[0]), Number(lines[3])];
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    return { pid, port: Number.isInteger(port) && port > 0 ? port : undefined, socketDir: lines[4]?.trim() || '/var/run/postgresql', status: lines[7]?.trim() ?? '' };
  } catch {
    return undefined;
  }
}

/** Whether a postmaster runs on `dataDir`: postmaster.pid names a live `postgres` process. */
export function postmasterAlive(dataDir: string): boolean {
  const pid = readPostmasterPid(dataDir)?.pid;
  try {
    // A postmaster killed with -9 stays a zombie until its parent reaps it: dead all the same.
    return pid !== undefined && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres' && !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false; // no such process
  }
}

/** The clusters describeCluster found in this process, by version/name: where their data is. */
const described = new Map<string, Cluster>();
export const lastDescribed = (ref: ClusterRef): Cluster | undefined => described.get(`${ref.version}/${ref.name}`);

/**
 * Reads one cluster through `pg_lsclusters --json <version> <name>` (which also follows
 * conf.d). Asking for that cluster alone, not listing all: another cluster half-created or
 * half-dropped at that moment makes the full listing fail.
 */
export async function describeCluster(ref: ClusterRef, log: Logger): Promise<Cluster> {
  const confDir = `/etc/postgresql/${ref.version}/${ref.name}`;
  // postgresql-common knows a cluster by its configuration directory; without one there is
  // nothing to ask (nor, before the packages step of a dry run, anything to ask with).
  const result = existsSync(`${confDir}/postgresql.conf`)
    ? await run(['pg_lsclusters', '--json', String(ref.version), ref.name], log, { title: `Reading PostgreSQL cluster ${ref.version}/${ref.name}`, reject: false })
    : undefined;
  // 127: postgresql-common is gone (configuration files outlive `apt remove`): no clusters.
  if (result && result.exitCode !== 0 && result.exitCode !== 127 && !/does not exist/.test(result.stderr)) {
    throw new ApplyError(`pg_lsclusters --json ${ref.version} ${ref.name} failed with code ${result.exitCode}: ${result.stderr.trim()}`);
  }
  const all = (result?.exitCode === 0 ? JSON.parse(result.stdout || '[]') : []) as LsCluster[];
  const found = all.find((c) => Number(c.version) === ref.version && c.cluster === ref.name);
  if (!found) {
    described.delete(`${ref.version}/${ref.name}`);
    const dataDir = `/var/lib/postgresql/${ref.version}/${ref.name}`;
    return { ...ref, exists: false, confDir, dataDir, port: 5432, socketDir: '/var/run/postgresql', running: false, inRecovery: false };
  }
  const running = Number(found.running) === 1;
  const cluster: Cluster = {
    ...ref,
    exists: true,
    confDir: found.configdir ?? confDir,
    dataDir: found.pgdata,
    port: Number(found.port),
    socketDir: found.socketdir || '/var/run/postgresql',
    running,
    inRecovery: running && Number(found.recovery ?? 0) === 1,
    start: { logFile: found.logfile || undefined, ownerUid: Number(found.owneruid), mode: found.start ?? 'auto', config: found.config ?? {} },
  };
  described.set(`${ref.version}/${ref.name}`, cluster);
  return cluster;
}

/** Where psql reaches the cluster now: the running server's socket (postmaster.pid, read now), else the configured one. */
export function socketOf(cluster: Cluster): { port: number; socketDir: string } {
  const live = cluster.exists ? readPostmasterPid(cluster.dataDir) : undefined;
  return live?.port ? { port: live.port, socketDir: live.socketDir } : { port: cluster.port, socketDir: cluster.socketDir };
}

/**
 * systemd's unit when PID 1 is systemd (so `systemctl status` agrees); pg_ctlcluster otherwise,
 * and for a promote, which systemd has no verb for (the unit stays active across it).
 */
export function serviceArgv(ref: ClusterRef, op: ServiceOp, init: 'systemd' | 'none'): string[] {
  return init === 'systemd' && op !== 'promote'
    ? ['systemctl', op, `postgresql@${ref.version}-${ref.name}`]
    : ['pg_ctlcluster', String(ref.version), ref.name, op];
}

/** The plan's service action for a cluster; the dry run shows the command. */
export function serviceAction(ref: ClusterRef, op: ServiceOp, init: 'systemd' | 'none', title: string, id = `postgresql.${op}`): ServiceAction {
  return { kind: 'service', id, title, service: { kind: 'postgresql', version: ref.version, cluster: ref.name, init }, op, command: serviceArgv(ref, op, init) };
}

export async function service(ref: ClusterRef, op: ServiceOp, init: 'systemd' | 'none', log: Logger): Promise<void> {
  await run(serviceArgv(ref, op, init), log, { title: `PostgreSQL ${ref.version}/${ref.name} ${op}` });
}

/** pg_createcluster with the port and socket directory the answers ask for; it starts nothing. */
export function createClusterAction(ref: ClusterRef, port: number, socketDir: string | undefined): CommandAction {
  return {
    kind: 'command',
    id: `postgresql.create-cluster`,
    title: `Create PostgreSQL cluster ${ref.version}/${ref.name}`,
    argv: ['pg_createcluster', String(ref.version), ref.name, '--port', String(port), ...(socketDir ? ['--socketdir', socketDir] : [])],
  };
}
