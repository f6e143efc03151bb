import type { SqlAction, SqlTarget } from '../../src/engine/actions.js';
import type { Cluster } from './cluster.js';
import { CONF_FILE_NAME } from './config.js';
import { clusterRef, type PostgresqlContext } from './context.js';
import { literal, localTarget, querySql } from './sql.js';

/**
 * Synchronous replication lives in synchronous_standby_names on whichever node is primary,
 * set with ALTER SYSTEM (postgresql.auto.conf), not in the conf.d file: it changes with the
 * roles (promote turns it off on a node that has no standby yet, or every commit would wait
 * forever; restore-master turns it back on once the old master streams again), and the
 * replication role may set it on its peer from PostgreSQL 15 (GRANT ALTER SYSTEM ON PARAMETER),
 * where no file of the peer's can be edited. On a standby the setting is read but unused.
 */
export function synchronousSql(on: boolean, slot: string): string {
  return on
    ? `ALTER SYSTEM SET synchronous_standby_names = ${literal(slot)};\nSELECT pg_reload_conf();`
    : 'ALTER SYSTEM RESET synchronous_standby_names;\nSELECT pg_reload_conf();';
}

export function synchronousAction(target: SqlTarget, on: boolean, slot: string, id = 'postgresql.synchronous'): SqlAction {
  return {
    kind: 'sql',
    id,
    title: on ? `Synchronous replication: commits wait for the standby ${slot}` : 'Asynchronous replication: commits do not wait for a standby',
    target,
    sql: synchronousSql(on, slot),
    separately: true, // ALTER SYSTEM on the peer: not in the implicit transaction of a multi-statement query
  };
}

/** The master's setting as answered; nothing when the running server already has it. */
export async function synchronousActions(ctx: PostgresqlContext, cluster: Cluster, on: boolean): Promise<SqlAction[]> {
  const wanted = on ? ctx.answers.slotName : '';
  if (cluster.running && !cluster.inRecovery) {
    // Where the value comes from matters: an older ha-install wrote it into the conf.d file,
    // which this plan rewrites without it.
    const [row] = await querySql(cluster, `SELECT setting, coalesce(sourcefile, '') FROM pg_settings WHERE name = 'synchronous_standby_names'`, ctx.log);
    if ((row?.[0] ?? '') === wanted && !(row?.[1] ?? '').endsWith(`/conf.d/${CONF_FILE_NAME}`)) return [];
  }
  return [synchronousAction(localTarget(clusterRef(ctx)), on, ctx.answers.slotName)];
}
