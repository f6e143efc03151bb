import type { PostgresqlContext } from './context.js';
import { backupPassword } from './context.js';
import { ROLE_MARKER } from './names.js';
import { classifyLoginError, withPeer, type LoginFailure, type PeerLogin } from './remote.js';

/** What the slave learns from the master over the replication login, before changing anything. */
export interface MasterFacts {
  systemId: string;
  timeline: number;
  versionNum: number;
  /** `ha_install.version` on the master, undefined when the master was not set up by ha-install. */
  buildVersion?: string;
  databaseBytes: number;
  slot?: { active: boolean; clientAddress?: string };
  /** The replication role as the master has it: a superuser, or not marked as ha-install's own. */
  role: { superuser: boolean; ours: boolean };
}

export function masterLogin(ctx: PostgresqlContext, options: { replication?: boolean } = {}): PeerLogin {
  const a = ctx.answers;
  return { host: a.masterIp, port: a.pgPort, user: a.replicationUser, password: backupPassword(a), replication: options.replication };
}

/**
 * Logs in twice, as the slave will: a replication connection (what pg_basebackup and the
 * walreceiver open; IDENTIFY_SYSTEM) and a normal one to the postgres database for the rest.
 */
export async function readMaster(ctx: PostgresqlContext): Promise<MasterFacts> {
  const identity = await withPeer(masterLogin(ctx, { replication: true }), async (client) => {
    const result = await client.query('IDENTIFY_SYSTEM');
    return result.rows[0] as { systemid: string; timeline: number };
  });
  return withPeer(masterLogin(ctx), async (client) => {
    const info = await client.query(
      `SELECT current_setting('server_version_num')::int AS version_num,
              current_setting('ha_install.version', true) AS build_version,
              (SELECT sum(pg_database_size(oid)) FROM pg_database WHERE datallowconn)::bigint AS bytes,
              r.rolsuper AS superuser, coalesce(shobj_description(r.oid, 'pg_authid'), '') = $1 AS ours
         FROM pg_roles r WHERE r.rolname = current_user`,
      [ROLE_MARKER],
    );
    const slot = await client.query(
      `SELECT s.active, host(r.client_addr) AS client_addr
         FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
        WHERE s.slot_name = $1`,
      [ctx.answers.slotName],
    );
    const row = info.rows[0] as { version_num: number; build_version: string | null; bytes: string; superuser: boolean; ours: boolean };
    const slotRow = slot.rows[0] as { active: boolean; client_addr: string | null } | undefined;
    return {
      systemId: String(identity.systemid),
      timeline: Number(identity.timeline),
      versionNum: Number(row.version_num),
      buildVersion: row.build_version || undefined,
      databaseBytes: Number(row.bytes),
      slot: slotRow ? { active: slotRow.active, clientAddress: slotRow.client_addr ?? undefined } : undefined,
      role: { superuser: row.superuser, ours: row.ours },
    };
  });
}

/** The admin's words for a failed login: what happened and which answer to fix. */
export function loginProblem(ctx: PostgresqlContext, error: unknown): { kind: LoginFailure; message: string; fix: string } {
  return describeLoginFailure(ctx, classifyLoginError(error), error instanceof Error ? error.message : String(error));
}

export function describeLoginFailure(ctx: PostgresqlContext, kind: LoginFailure, detail: string): { kind: LoginFailure; message: string; fix: string } {
  const a = ctx.answers;
  switch (kind) {
    case 'password':
      return {
        kind,
        message: `the master ${a.masterIp} refused the password of ${a.replicationUser}`,
        fix: 'postgresql.backup-password must be the backup password given when the master was installed',
      };
    case 'hba':
      return {
        kind,
        message: `the master does not allow replication from this server (${detail})`,
        fix: `install the master with slave-ip = ${a.slaveIp}, or check that this server's address really is ${a.slaveIp}`,
      };
    case 'starting':
      return { kind, message: 'the master is still starting up', fix: 'wait a moment and run the slave install again' };
    default:
      return { kind, message: `could not log in to ${a.masterIp}:${a.pgPort}: ${detail}`, fix: `check that the master install finished and that port ${a.pgPort} is open between the servers` };
  }
}
