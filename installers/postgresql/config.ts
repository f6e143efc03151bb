import { conninfoString, gucString, hbaName, hbaNetwork, pgpassField, pgpassFields } from './file-formats.js';

/** Pure builders for what ha-install writes into PostgreSQL's configuration. */

export const CONF_FILE_NAME = 'ha-install.conf';
export const HBA_MARKER = 'ha-install';
export const VERSION_SETTING = 'ha_install.version';

const GB = 1024 ** 3;

/** A GUC value in single quotes, as postgresql.conf reads it (file-formats.ts). */
export const confQuote = gucString;

/**
 * How much WAL a replication slot may hold back, in MB. A slot whose slave is gone keeps every
 * WAL segment until the master's disk is full and the master stops: the outage we are here to
 * prevent. Capped, a slave that is away too long loses its slot and needs a new clone, which is
 * the lesser evil. 20% of the free space leaves room for the database to grow; at least 1 GB so
 * a short network blip never costs a re-clone, at most 100 GB because beyond that a re-clone is
 * faster than replaying the backlog. Whole GB so a re-run does not rewrite the file for a few
 * megabytes of difference.
 */
export function slotWalKeepMb(freeBytes: number): number {
  const fifth = Math.floor((freeBytes * 0.2) / GB);
  return Math.min(100, Math.max(1, fifth)) * 1024;
}

export interface ConfInput {
  /** This node's address: PostgreSQL listens there. */
  address: string;
  port: number;
  socketDir?: string;
  freeBytes: number;
  /** Where this node streams from whenever it is a standby: its peer, through the slot named for the pair's standby. */
  standby: { peer: string; user: string; slot: string; passfile: string };
  buildVersion: string;
}

/**
 * primary_conninfo for this node: used only while it runs as a standby (standby.signal), so
 * both nodes carry it from the install on, and a failover or a rejoin edits no file in a
 * hurry. The application name is the slot's: synchronous_standby_names names the standby so.
 */
export function primaryConninfo(input: ConfInput['standby'] & { port: number }): string {
  return conninfoString([
    ['host', input.peer],
    ['port', input.port],
    ['user', input.user],
    ['passfile', input.passfile],
    ['application_name', input.slot],
  ]);
}

/** Loopback addresses are the demo pair: two clusters on one port cannot both bind localhost. */
function listenAddresses(address: string): string {
  const loopback = address.startsWith('127.') || address === '::1';
  // Keep localhost on a real server: applications on the same host usually connect there.
  return loopback ? address : `${address},localhost`;
}

/** The conf.d file; Debian's postgresql.conf ends with `include_dir = 'conf.d'`. */
export function confFile(input: ConfInput): string {
  const settings: Array<[string, string]> = [
    ['listen_addresses', confQuote(listenAddresses(input.address))],
    ['port', String(input.port)],
    ...(input.socketDir ? ([['unix_socket_directories', confQuote(input.socketDir)]] as Array<[string, string]>) : []),
    ['wal_level', 'replica'],
    ['max_wal_senders', '10'],
    ['max_replication_slots', '10'],
    ['wal_log_hints', 'on'],
    ['hot_standby', 'on'],
    ['password_encryption', confQuote('scram-sha-256')],
    ['max_slot_wal_keep_size', confQuote(`${slotWalKeepMb(input.freeBytes)}MB`)],
    ['primary_conninfo', confQuote(primaryConninfo({ ...input.standby, port: input.port }))],
    ['primary_slot_name', confQuote(input.standby.slot)],
    [VERSION_SETTING, confQuote(input.buildVersion)],
  ];
  return [
    // Lines under 80 columns: the file is read in editors and in the dry run's diff.
    '# Written by ha-install: re-runs replace this file.',
    '# Put your own settings in another conf.d file.',
    '# wal_log_hints lets a former master rejoin with pg_rewind, not a full clone.',
    '# primary_conninfo and primary_slot_name only count on a standby.',
    '# synchronous_standby_names: set by ALTER SYSTEM on the primary.',
    ...settings.map(([name, value]) => `${name} = ${value}`),
    '',
  ].join('\n');
}

export interface HbaExtras {
  /** The health agent's role and ident map: the OS user postgres logs in as it over the socket. */
  agent?: { role: string; map: string };
  /** The load balancer's address: clients come through it with their own password. */
  balancer?: string;
}

/**
 * Symmetric pg_hba rules: each node lets its peer replicate and write the marker row; the
 * agent logs in over the Unix socket by peer authentication (no password exists for it); the
 * balancer's address is admitted for every database and role with SCRAM (HAProxy in TCP mode
 * passes the client's own login through) except ha-install's own roles, which have no business
 * coming through it. First match wins, so the refusals come first.
 */
export function hbaBlock(replicationUser: string, peerAddress: string, extras: HbaExtras = {}): string {
  const [user, peer] = [hbaName(replicationUser), hbaNetwork(peerAddress)];
  const agent = extras.agent ? hbaName(extras.agent.role) : undefined;
  const balancer = extras.balancer ? hbaNetwork(extras.balancer) : undefined;
  return [
    ...(agent ? [`local   postgres       ${agent}    peer map=${hbaName(extras.agent!.map)}`] : []),
    `host    replication    ${user}    ${peer}    scram-sha-256`,
    `host    postgres       ${user}    ${peer}    scram-sha-256`,
    ...(balancer
      ? [
          `host    all            ${user}    ${balancer}    reject`,
          ...(agent ? [`host    all            ${agent}    ${balancer}    reject`] : []),
          `host    all            all    ${balancer}    scram-sha-256`,
        ]
      : []),
  ].join('\n');
}

/** pg_ident.conf: the OS user postgres (the agent's) may log in as the agent's role, nothing else. */
export function identBlock(map: string, role: string): string {
  return `${hbaName(map)}    postgres    ${hbaName(role)}`;
}

export interface PgpassEntry {
  host: string;
  port: number;
  user: string;
  password: string;
}

export function pgpassLine(entry: PgpassEntry): string {
  return [entry.host, String(entry.port), '*', entry.user, entry.password].map(pgpassField).join(':');
}

/**
 * The postgres user's .pgpass with our entries replacing any earlier line for the same host,
 * port and user; other lines (the admin's own, comments) stay, in order.
 */
export function mergePgpass(existing: string, entries: PgpassEntry[]): string {
  // Any database field: libpq takes the first matching line, so an older `replication` line would win.
  const ours = new Set(entries.map((e) => JSON.stringify([e.host, String(e.port), e.user])));
  const isOurs = (line: string) => {
    const fields = pgpassFields(line);
    return ours.has(JSON.stringify([fields[0], fields[1], fields[3]]));
  };
  const kept = existing.split('\n').filter((line) => line.trim() !== '' && (line.startsWith('#') || !isOurs(line)));
  return [...kept, ...entries.map(pgpassLine)].join('\n') + '\n';
}
