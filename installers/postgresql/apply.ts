import { setTimeout as delay } from 'node:timers/promises';
import type { StepAction } from '../../src/engine/actions.js';
import { ApplyError } from '../../src/system/errors.js';
import type { Logger } from '../../src/system/log.js';
import { confFilePath, describeCluster, postmasterAlive, service, type Cluster, type ClusterRef } from './cluster.js';
import { startCluster, throughUnit } from './start.js';
import { literal, sqlOn, sqlValue } from './sql.js';

export interface ApplyOutcome {
  started: boolean;
  reloaded: boolean;
  /** Settings that needed a restart (empty: no restart happened). */
  restartedFor: string[];
}


/**
 * Makes the written configuration live with the least disruption: start a stopped cluster;
 * otherwise reload, and restart only when PostgreSQL itself says a changed setting needs it
 * (pg_settings.pending_restart), so a re-run with nothing changed never drops connections.
 */
export async function applySettings(ref: ClusterRef, init: 'systemd' | 'none', log: Logger, planned?: Cluster): Promise<ApplyOutcome> {
  // The plan's view of an existing cluster still holds (only our own actions ran since, and
  // none moves its directories or log); whether it runs is read now.
  const cluster = planned?.exists ? { ...planned, running: postmasterAlive(planned.dataDir) } : await describeCluster(ref, log);
  if (!cluster.running) {
    await startCluster(cluster, init, log);
    return { started: true, reloaded: false, restartedFor: [] };
  }
  const before = await sqlValue(ref, 'SELECT pg_conf_load_time()', log);
  await sqlOn(ref, 'SELECT pg_reload_conf()', log);
  // The postmaster handles SIGHUP asynchronously; new sessions see the new load time once it has.
  for (let i = 0; i < 50; i++) {
    if ((await sqlValue(ref, `SELECT pg_conf_load_time() > ${literal(before ?? '-infinity')}::timestamptz`, log)) === 't') break;
    await delay(100);
  }
  const pending = (await sqlOn(ref, 'SELECT name FROM pg_settings WHERE pending_restart ORDER BY name', log)).map((r) => r[0]!);
  if (pending.length > 0) {
    log.info(`Restarting ${ref.version}/${ref.name}: ${pending.join(', ')} only change on restart`);
    if (init === 'systemd') await throughUnit(cluster, 'restart', log);
    else {
      await service(ref, 'stop', init, log); // pg_ctl stop -w: no settle loop on this side
      await startCluster(await describeCluster(ref, log), init, log);
    }
  }
  return { started: false, reloaded: true, restartedFor: pending };
}

/**
 * Asks PostgreSQL whether every line of our conf.d file is live: pg_file_settings marks a line
 * not applied when it failed or when a later file (postgresql.auto.conf from ALTER SYSTEM)
 * overrides it. Throws naming each setting, its problem and the overriding file.
 */
export async function verifySettings(ref: ClusterRef, log: Logger): Promise<void> {
  const file = confFilePath(ref);
  // One psql: the first statement's row says whether the file is read at all, the rest are problems.
  const [first, ...rows] = await sqlOn(
    ref,
    `SELECT count(*) FROM pg_file_settings WHERE sourcefile = ${literal(file)};
     SELECT coalesce(f.name, '(file)'), coalesce(f.sourcefile || ':' || f.sourceline, ''), coalesce(f.error, ''),
            coalesce((SELECT w.sourcefile || ':' || w.sourceline FROM pg_file_settings w
                      WHERE w.name = f.name AND w.seqno > f.seqno ORDER BY w.seqno DESC LIMIT 1), '')
       FROM pg_file_settings f
      WHERE (f.sourcefile = ${literal(file)} AND NOT f.applied) OR (f.name IS NULL AND f.error IS NOT NULL)`,
    log,
  );
  if (first?.[0] === '0') {
    throw new ApplyError(`PostgreSQL ${ref.version}/${ref.name} does not read ${file}.`, {
      nextSteps: [`Add the line \`include_dir = 'conf.d'\` at the end of /etc/postgresql/${ref.version}/${ref.name}/postgresql.conf, then run the install again.`],
    });
  }
  if (rows.length === 0) return;
  const lines = rows.map(([name, where, error, winner]) =>
    error ? `${name} (${where}): ${error}` : `${name} is overridden by ${winner || 'a later setting'}`,
  );
  throw new ApplyError(`PostgreSQL ${ref.version}/${ref.name} is not running with ha-install's settings:\n  ${lines.join('\n  ')}`, {
    nextSteps: [`Remove the overriding lines (ALTER SYSTEM RESET <name>; for postgresql.auto.conf), then run the install again.`],
  });
}

/** The plan step: apply, then verify. */
export function applySettingsStep(ref: ClusterRef, init: 'systemd' | 'none', planned?: Cluster): StepAction {
  return {
    kind: 'step',
    id: 'postgresql.apply-settings',
    title: `Apply settings to PostgreSQL ${ref.version}/${ref.name}`,
    detail: [
      'start the cluster if it is stopped; otherwise reload',
      'restart only if pg_settings.pending_restart names a changed setting',
      `check with pg_file_settings that every line of ${confFilePath(ref)} is live`,
    ],
    run: async ({ log, progress }) => {
      const outcome = await applySettings(ref, init, log, planned);
      progress(undefined, outcome.started ? 'started' : outcome.restartedFor.length ? `restarted for ${outcome.restartedFor.join(', ')}` : 'reloaded, no restart needed');
      await verifySettings(ref, log);
    },
  };
}
