import type { ActionHandlers, ApplyContext, ServiceAction, SqlTarget } from '../../src/engine/actions.js';
import { ApplyError } from '../../src/system/errors.js';
import { describeCluster, postmasterAlive, service } from './cluster.js';
import { startCluster } from './start.js';
import { withPeer } from './remote.js';
import { sqlOn } from './sql.js';
import { passwordFor } from './pgpass.js';

/** The password of the peer login: the run's backup password, else the postgres user's .pgpass entry. */
function peerPassword(target: Extract<SqlTarget, { on: 'peer' }>, ctx: ApplyContext): string {
  const password = ctx.secrets.backupPassword ?? passwordFor(target.host, target.port, target.user);
  if (password === undefined) {
    throw new ApplyError(`No password for ${target.user} on ${target.host}:${target.port}: it is neither given nor in the postgres user's .pgpass.`, {
      nextSteps: ['Run the command again and give the backup password (postgresql.backup-password).'],
    });
  }
  return password;
}

async function runSql(target: SqlTarget, sql: string, ctx: ApplyContext, title: string): Promise<string[][]> {
  if (target.on === 'local') return sqlOn({ version: target.version, name: target.cluster }, sql, ctx.log, { title });
  const { host, port, user, database } = target;
  ctx.log.write('sql', `${user}@${host}:${port}/${database}: ${sql.replace(/\s+/g, ' ').trim()}`);
  const result = await withPeer({ host, port, user, database, password: peerPassword(target, ctx) }, (client) => client.query({ text: sql, rowMode: 'array' }));
  // A multi-statement text returns one result per statement: the last one answers.
  const last = Array.isArray(result) ? result.at(-1) : result;
  return ((last?.rows ?? []) as unknown[][]).map((row) => row.map((value) => (value === null ? '' : value === true ? 't' : value === false ? 'f' : String(value))));
}

async function runService(action: ServiceAction, ctx: ApplyContext): Promise<string | undefined> {
  if (action.service.kind !== 'postgresql') throw new ApplyError(`${action.title}: not a PostgreSQL cluster (a bug in ha-install)`);
  const { version, cluster: name, init } = action.service;
  const ref = { version, name };
  const cluster = await describeCluster(ref, ctx.log);
  const alive = cluster.exists && postmasterAlive(cluster.dataDir);
  switch (action.op) {
    case 'start':
      if (alive) return 'already running';
      await startCluster(cluster, init, ctx.log);
      return 'started';
    case 'stop':
      if (!alive) return 'already stopped';
      await service(ref, 'stop', init, ctx.log);
      return 'stopped';
    case 'restart':
      if (!alive) {
        await startCluster(cluster, init, ctx.log);
        return 'started';
      }
      await service(ref, 'stop', init, ctx.log);
      await startCluster(await describeCluster(ref, ctx.log), init, ctx.log);
      return 'restarted';
    case 'reload':
      await service(ref, 'reload', init, ctx.log);
      return 'reloaded';
    case 'promote':
      await service(ref, 'promote', 'none', ctx.log); // pg_ctlcluster promote waits until the server is writable
      return 'promoted';
    case 'remove':
      throw new ApplyError(`${action.title}: ha-install never removes a PostgreSQL cluster`);
  }
}

/** The PostgreSQL installer's way of running SQL and service actions, for the engine. */
export const postgresqlHandlers: ActionHandlers = { sql: runSql, service: runService };
