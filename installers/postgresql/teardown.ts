import { existsSync } from 'node:fs';
import { rmSync } from 'node:fs';
import type { Action, FileAction, SqlAction, StepAction } from '../../src/engine/actions.js';
import { itemKey, type InventoryEntry } from '../../src/engine/inventory.js';
import { run } from '../../src/system/exec.js';
import { binDir, serviceAction, type Cluster } from './cluster.js';
import { DEMOTE_FUNCTION } from './levers.js';
import { ident, literal, localTarget } from './sql.js';
import { PROMOTE_SQL } from './switchover.js';
import { fileRemovals, serviceRemovals } from './teardown-files.js';
import { liftRuntimeFenceActions } from './fence.js';
import { runtimeFor } from '../../src/system/runtime.js';

/**
 * Teardown (AMM's "Teardown HA service"): this node back to a standalone PostgreSQL. What it
 * removes is what the inventory lists (teardown-files.ts) and, on the server, the pair's own
 * objects the state file names: the slot, the demote function, the replication role (unless
 * kept), synchronous replication. Data is never deleted: a standby either becomes a standalone
 * server with its data (--keep-data: promoted) or is stopped, its data directory moved aside,
 * and an empty server is made in its place, so both nodes start on their own afterwards.
 */
export type TeardownPath = 'primary' | 'standby-keep' | 'standby-aside';

export interface TeardownInput {
  cluster: Cluster;
  init: 'systemd' | 'none';
  path: TeardownPath;
  self: string;
  user: string;
  slot: string;
  keepRole: boolean;
  entries: InventoryEntry[];
  intentPath: string;
  /** template1's encoding and locale, for the empty server that replaces a standby's data. */
  locale: { encoding: string; collate: string; ctype: string };
}

const keysOf = (entries: InventoryEntry[], kind: string) => entries.filter((e) => e.item.kind === kind).map((e) => itemKey(e.item));

function serverSql(input: TeardownInput): SqlAction[] {
  const target = localTarget(input.cluster);
  const slot = literal(input.slot);
  const sql = (id: string, title: string, text: string, removes: string[] = []): SqlAction => ({ kind: 'sql', id, title, target, sql: text, removes });
  return [
    sql('teardown.synchronous', 'Synchronous replication off (a server without a standby would wait on every commit)', 'ALTER SYSTEM RESET synchronous_standby_names;\nSELECT pg_reload_conf();'),
    sql(
      'teardown.slot',
      `Drop the replication slot ${input.slot} (its standby's connection ended first)`,
      `DO $$ BEGIN
  PERFORM pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = ${slot} AND active_pid IS NOT NULL;
  FOR i IN 1..100 LOOP EXIT WHEN NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = ${slot} AND active); PERFORM pg_sleep(0.05); END LOOP;
  PERFORM pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ${slot};
END $$;`,
      keysOf(input.entries, 'slot'),
    ),
    sql('teardown.function', `Drop the switchover function ${DEMOTE_FUNCTION}`, `DROP FUNCTION IF EXISTS ha_install.switchover_demote(boolean);`, keysOf(input.entries, 'function')),
    ...(input.keepRole
      ? []
      : [
          sql(
            'teardown.role',
            `Drop the replication role ${input.user} (its sessions ended first)`,
            `DO $$ BEGIN
  PERFORM pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ${literal(input.user)};
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(input.user)}) THEN
    EXECUTE 'DROP OWNED BY ${ident(input.user).replaceAll("'", "''")}';
    EXECUTE 'DROP ROLE ${ident(input.user).replaceAll("'", "''")}';
  END IF;
END $$;`,
            keysOf(input.entries, 'role'),
          ),
        ]),
    sql(
      'teardown.record',
      'Record the teardown in the history this server keeps (ha_install.events stays: it is data)',
      `DO $$ BEGIN IF to_regclass('ha_install.events') IS NOT NULL THEN
  INSERT INTO ha_install.events (node, event, detail) VALUES (${literal(input.self)}, 'teardown', ${literal(`standalone (${input.path})`)});
END IF; END $$;`,
    ),
  ];
}

/** An empty server where the standby's data was: initdb as pg_createcluster runs it; Debian keeps the configuration in /etc. */
function emptyServer(input: TeardownInput): StepAction {
  const data = input.cluster.dataDir;
  const { encoding, collate, ctype } = input.locale;
  const argv = [`${binDir(input.cluster.version)}/initdb`, '-D', data, '--auth-local=peer', '--auth-host=scram-sha-256', `--encoding=${encoding}`, `--lc-collate=${collate}`, `--lc-ctype=${ctype}`, '--no-instructions'];
  return {
    kind: 'step',
    id: 'teardown.initdb',
    title: `Make an empty server in ${data} (initdb), so this node starts on its own`,
    detail: [`as postgres: ${argv.join(' ')}`, `then remove the postgresql.conf, pg_hba.conf and pg_ident.conf initdb puts there (the cluster's are in ${input.cluster.confDir})`],
    run: async ({ log }) => {
      if (existsSync(`${data}/PG_VERSION`)) return 'there already';
      await run(argv, log, { user: 'postgres', title: 'initdb', cwd: '/' });
      for (const file of ['postgresql.conf', 'pg_hba.conf', 'pg_ident.conf']) rmSync(`${data}/${file}`, { force: true });
      return 'initialised';
    },
  };
}

export function teardownActions(input: TeardownInput): Action[] {
  const { cluster } = input;
  const intent: FileAction = { kind: 'file', id: 'teardown.intent', title: 'Note that a teardown begins', path: input.intentPath, content: JSON.stringify({ path: input.path }) + '\n', mode: 0o600 };
  const done: StepAction = { kind: 'step', id: 'teardown.intent-done', title: 'The teardown is done: its note goes', detail: [`remove ${input.intentPath}`], run: async () => rmSync(input.intentPath, { force: true }) };
  // A standalone server is nobody's fenced node: a runtime fence the monitor left goes too.
  const files = [...liftRuntimeFenceActions({ version: cluster.version, name: cluster.name }), ...fileRemovals(input.entries)];
  const services = serviceRemovals(input.entries, runtimeFor());
  const start = serviceAction(cluster, 'start', input.init, `Start PostgreSQL ${cluster.version}/${cluster.name} as a standalone server`, 'teardown.start');
  const reload = serviceAction(cluster, 'reload', input.init, 'Reload, so pg_hba.conf and the conf.d file are read again', 'teardown.reload');
  if (input.path === 'standby-aside') {
    const gone: StepAction = { kind: 'step', id: 'teardown.objects-aside', title: `The slot, role and functions went aside with the old data`, detail: ['the empty server has none of them'], removes: [...keysOf(input.entries, 'slot'), ...keysOf(input.entries, 'role'), ...keysOf(input.entries, 'function')], run: async () => undefined };
    return [
      intent,
      ...services,
      ...(cluster.running ? [serviceAction(cluster, 'stop', input.init, `Stop the standby ${cluster.version}/${cluster.name}`, 'teardown.stop')] : []),
      { kind: 'move-aside', id: 'teardown.move-aside', title: `Move the standby's data directory ${cluster.dataDir} aside`, path: cluster.dataDir },
      emptyServer(input),
      ...files,
      start,
      gone,
      done,
    ];
  }
  const promote: Action[] =
    input.path === 'standby-keep'
      ? cluster.running
        ? [
            { kind: 'sql', id: 'teardown.promote', title: 'Promote this standby: it becomes a server of its own, with its data', target: localTarget(cluster), sql: PROMOTE_SQL },
            { kind: 'wait', id: 'teardown.writable', title: 'Wait until it takes writes', target: localTarget(cluster), sql: 'SELECT NOT pg_is_in_recovery()', timeoutSeconds: 60, intervalMs: 20, failure: 'still in recovery a minute after the promote' },
          ]
        : [{ kind: 'remove', id: 'teardown.standby-signal', title: `Remove ${cluster.dataDir}/standby.signal: it starts as a server of its own`, path: `${cluster.dataDir}/standby.signal` }]
      : [];
  return [intent, ...services, ...promote, ...files, cluster.running ? reload : start, ...serverSql(input), done];
}
