import { existsSync, readFileSync } from 'node:fs';
import type { BlockAction, FileAction } from '../../src/engine/actions.js';
import type { Answers } from '../../src/answers/types.js';
import { version } from '../../src/version.js';
import { InputError } from '../../src/system/errors.js';
import type { MachineFacts } from '../../src/system/facts.js';
import type { Logger } from '../../src/system/log.js';
import { confFilePath, describeCluster, hbaPath, identPath, type Cluster, type ClusterRef } from './cluster.js';
import { confFile, HBA_MARKER, hbaBlock, identBlock, mergePgpass } from './config.js';
import { AGENT_IDENT_MAP, AGENT_ROLE } from '../agent/config.js';

/** What the PostgreSQL installer needs from a flow: the answers, the machine, the log. */
export interface PostgresqlContext {
  answers: Answers;
  facts: MachineFacts;
  log: Logger;
  /** Called about once a second while the slave waits for the master, with the seconds left. */
  onWait?: (secondsLeft: number) => void;
  /** The postgres user's password file; default `<postgres home>/.pgpass`. Tests use their own. */
  pgpassPath?: string;
  /** This build's version as written to `ha_install.version`; default: package.json. */
  buildVersion?: string;
  /** The node's state folder, when not the default: commands printed for later name it. */
  stateDir?: string;
  /** Where services write their logs without systemd (default /var/log/ha-install). */
  logDir?: string;
  /**
   * The local cluster as described while the preflight ran (concurrently with its checks on
   * the master), for the plan that follows it: nothing changes in between. Absent: described
   * when needed.
   */
  cluster?: Promise<Cluster>;
}

/** The major version: answered, else the newest installed. */
export function pgVersion(ctx: Pick<PostgresqlContext, 'answers' | 'facts'>): number {
  const version = ctx.answers.pgVersion ?? ctx.facts.postgresqlVersions.at(-1);
  if (version === undefined) {
    throw new InputError('No PostgreSQL server is installed.', [
      { field: 'postgresql.version', message: 'no version given and none found under /usr/lib/postgresql', fix: 'install the postgresql package first, or let ha-install install it' },
    ]);
  }
  return version;
}

export function clusterRef(ctx: Pick<PostgresqlContext, 'answers' | 'facts'>): ClusterRef {
  return { version: pgVersion(ctx), name: ctx.answers.pgCluster };
}

/** The local cluster: the one the preflight described (if it is still the one asked for), else read now. */
export async function localCluster(ctx: PostgresqlContext): Promise<Cluster> {
  const ref = clusterRef(ctx);
  const described = await ctx.cluster;
  return described?.version === ref.version && described.name === ref.name ? described : describeCluster(ref, ctx.log);
}

/** This node's address and its peer's, by mode. */
export function nodes(answers: Answers): { self: string; peer: string; role: 'master' | 'slave' } {
  return answers.mode === 'slave'
    ? { self: answers.slaveIp, peer: answers.masterIp, role: 'slave' }
    : { self: answers.masterIp, peer: answers.slaveIp, role: 'master' };
}

export function backupPassword(answers: Answers): string {
  const value = answers.backupPassword?.value;
  if (!value) {
    throw new InputError('The backup password is missing.', [
      { field: 'postgresql.backup-password', message: 'is required for mode ' + answers.mode, fix: 'set postgresql.backup-password: env:NAME or file:PATH' },
    ]);
  }
  return value;
}

export function versionOf(ctx: Pick<PostgresqlContext, 'buildVersion'>): string {
  return ctx.buildVersion ?? version; // written on the master as ha_install.version: same build on both sides
}

/** The postgres OS user's home from /etc/passwd (Debian: /var/lib/postgresql). */
export function pgpassPath(ctx: Pick<PostgresqlContext, 'pgpassPath'>): string {
  if (ctx.pgpassPath) return ctx.pgpassPath;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  return `${line?.split(':')[5] || '/var/lib/postgresql'}/.pgpass`;
}

export function confAction(ctx: PostgresqlContext): FileAction {
  const a = ctx.answers;
  const ref = clusterRef(ctx);
  const { self, peer } = nodes(a);
  return {
    kind: 'file',
    id: 'postgresql.conf',
    title: `Write ${confFilePath(ref)}`,
    path: confFilePath(ref),
    // The same settings whatever the role: a failover or a rejoin never edits this file.
    content: confFile({
      address: self,
      port: a.pgPort,
      socketDir: a.pgSocketDir,
      freeBytes: ctx.facts.disk.freeBytes,
      standby: { peer, user: a.replicationUser, slot: a.slotName, passfile: pgpassPath(ctx) },
      buildVersion: versionOf(ctx),
    }),
    mode: 0o644,
    owner: 'postgres',
    creates: [{ kind: 'conf', path: confFilePath(ref) }],
  };
}

export function hbaAction(ctx: PostgresqlContext): BlockAction {
  const ref = clusterRef(ctx);
  const { peer } = nodes(ctx.answers);
  const balancer = ctx.answers.balancerIp;
  return {
    kind: 'block',
    id: 'postgresql.hba',
    title: `Allow replication from ${peer}${balancer ? `, clients through the balancer ${balancer}` : ''} and the health agent in pg_hba.conf`,
    path: hbaPath(ref),
    marker: HBA_MARKER,
    content: hbaBlock(ctx.answers.replicationUser, peer, { agent: { role: AGENT_ROLE, map: AGENT_IDENT_MAP }, balancer }),
    position: 'top',
    creates: [{ kind: 'block', path: hbaPath(ref), marker: HBA_MARKER }],
  };
}

/** The ident map the agent's peer login needs, in the cluster's pg_ident.conf. */
export function identAction(ctx: PostgresqlContext): BlockAction {
  const ref = clusterRef(ctx);
  return {
    kind: 'block',
    id: 'postgresql.ident',
    title: `Let the OS user postgres log in as ${AGENT_ROLE} (the health agent) in pg_ident.conf`,
    path: identPath(ref),
    marker: HBA_MARKER,
    content: identBlock(AGENT_IDENT_MAP, AGENT_ROLE),
    position: 'bottom',
    creates: [{ kind: 'block', path: identPath(ref), marker: HBA_MARKER }],
  };
}

/** Both nodes' entries, so after a failover the old master reaches the new one unchanged. */
export function pgpassAction(ctx: PostgresqlContext): FileAction {
  const a = ctx.answers;
  const path = pgpassPath(ctx);
  const password = backupPassword(a);
  const entries = [a.masterIp, a.slaveIp].map((host) => ({ host, port: a.pgPort, user: a.replicationUser, password }));
  return {
    kind: 'file',
    id: 'postgresql.pgpass',
    title: `Store the replication password in ${path}`,
    path,
    content: mergePgpass(existsSync(path) ? readFileSync(path, 'utf8') : '', entries),
    mode: 0o600,
    owner: 'postgres',
    secret: true,
    creates: [{ kind: 'pgpass', path, entries: entries.map(({ host, port, user }) => ({ host, port, user })) }],
  };
}
