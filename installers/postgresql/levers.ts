import type { SqlAction } from '../../src/engine/actions.js';
import type { ClusterRef } from './cluster.js';
import { ident, literal, localTarget } from './sql.js';
import { STANDBY_MARK } from './standby-signal.js';

/**
 * What the replication role may do on its peer for a switchover, granted at install on the
 * master (grants and functions replicate, so both nodes have them whatever their role):
 *
 * - pg_promote(): the node that runs `switchover` as the master promotes its standby.
 * - pg_checkpoint (PostgreSQL 15+): the CHECKPOINT after that promote.
 * - ha_install.switchover_demote(check_only): the one thing a standby that runs `switchover` cannot do
 *   with SQL alone, make its master a standby. The function (SECURITY DEFINER, owned by
 *   postgres, one flag (true: only say whether it could), EXECUTE for the replication role only) writes standby.signal and
 *   restarts its own server through pg_ctlcluster in a detached session: the clean (fast)
 *   shutdown ships the last WAL, and the server comes back read-only. It refuses on a systemd
 *   machine (postgres may not call systemctl; a restart behind the unit's back would leave
 *   systemd wrong), where the switchover is run on the master instead.
 *
 * Someone with the backup password can so take the master down for a moment; with it they
 * can already copy the whole database (replication), which is worse. Nothing of theirs
 * reaches the shell: the command is built from the server's own settings, each quoted.
 */

export const DEMOTE_FUNCTION = 'ha_install.switchover_demote(boolean)';

export function leverGrantsSql(user: string, version: number): string[] {
  const role = ident(user);
  return [`GRANT EXECUTE ON FUNCTION pg_catalog.pg_promote(boolean, integer) TO ${role};`, ...(version >= 15 ? [`GRANT pg_checkpoint TO ${role};`] : [])];
}

/** The demote function; `$q$` quoting inside, so a path with a quote stays one shell word. */
export function demoteFunctionSql(user: string): string {
  return `CREATE OR REPLACE FUNCTION ha_install.switchover_demote(check_only boolean) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  data text := current_setting('data_directory');
  name text := current_setting('cluster_name');
  lsn text;
  sh text;
BEGIN
  IF pg_is_in_recovery() THEN RETURN 'standby'; END IF;
  IF pg_stat_file('/run/systemd/system', true) IS NOT NULL THEN
    RAISE EXCEPTION 'this node runs under systemd: run ha-install switchover on this node (the master) instead';
  END IF;
  IF name !~ '^[0-9]+/[A-Za-z0-9_-]+$' THEN
    RAISE EXCEPTION 'cluster_name is %, not VERSION/NAME as pg_createcluster writes it: run ha-install switchover on the master', name;
  END IF;
  IF check_only THEN RETURN 'ready'; END IF;
  lsn := pg_current_wal_lsn()::text;
  EXECUTE format('COPY (SELECT %L) TO %L', ${literal(STANDBY_MARK.trimEnd())}, data || '/standby.signal');
  -- cat first: COPY writes a row to the program, which must read it (else EPIPE fails the COPY, and
  -- the restart may be on its way all the same).
  sh := 'cat >/dev/null; PATH=/usr/sbin:/usr/bin:/sbin:/bin setsid pg_ctlcluster ' || replace(name, '/', ' ') || ' restart -m fast </dev/null >/dev/null 2>&1 &';
  EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', sh);
  RETURN lsn;
END $fn$;
REVOKE ALL ON FUNCTION ha_install.switchover_demote(boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ha_install.switchover_demote(boolean) TO ${ident(user)};`;
}

/** The install's action: grants and the function, on the master (they replicate to the standby). */
export function leversAction(ref: ClusterRef, user: string): SqlAction {
  return {
    kind: 'sql',
    id: 'postgresql.switchover-levers',
    title: `Let ${user} promote its peer and, from a standby, ask its master to step down (switchover)`,
    target: localTarget(ref),
    sql: [...leverGrantsSql(user, ref.version), demoteFunctionSql(user)].join('\n'),
    creates: [{ kind: 'function', cluster: `${ref.version}/${ref.name}`, name: DEMOTE_FUNCTION }],
  };
}
