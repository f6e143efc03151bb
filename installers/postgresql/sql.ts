import type { SqlTarget } from '../../src/engine/actions.js';
import type { Logger } from '../../src/system/log.js';
import { run } from '../../src/system/exec.js';
import { binDir, describeCluster, lastDescribed, readPostmasterPid, socketOf, type Cluster, type ClusterRef } from './cluster.js';

/**
 * SQL on the local cluster: psql as the postgres OS user over the Unix socket (peer
 * authentication, no password), the SQL on stdin so that nothing in it (a SCRAM verifier)
 * appears in argv or the log.
 */

const FIELD = '\x1f';
const RECORD = '\x1e';

export interface SqlOptions {
  database?: string;
  title?: string;
  timeoutMs?: number;
}

/** Runs `sql` and returns the rows of every statement that returns rows, in order, as text (NULL is ''). */
export async function querySql(cluster: Cluster, sql: string, log: Logger, options: SqlOptions = {}): Promise<string[][]> {
  const { port, socketDir } = socketOf(cluster);
  const argv = [
    `${binDir(cluster.version)}/psql`,
    '-X', // no ~/.psqlrc: its settings would change the output
    '-q',
    '-v',
    'ON_ERROR_STOP=1',
    '-At',
    '-F',
    FIELD,
    '-R',
    RECORD,
    '-h',
    socketDir,
    '-p',
    String(port),
    '-d',
    options.database ?? 'postgres',
  ];
  const result = await run(argv, log, {
    user: 'postgres',
    input: sql,
    // synchronous_commit=local: on a synchronous master whose slave is not there yet (the first
    // install), our own writes (CREATE ROLE, the events table) would otherwise wait forever.
    env: { PGCONNECT_TIMEOUT: '10', PGAPPNAME: 'ha-install', PGOPTIONS: '-c synchronous_commit=local' },
    title: options.title ?? `SQL on ${cluster.version}/${cluster.name}`,
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  return parseRows(result.stdout);
}

/**
 * psql -At output with our separators: records end with RECORD except the last of each
 * statement, which ends with a newline. So a value must not contain a newline (select
 * `replace(x, E'\n', ' ')` where one could).
 */
export function parseRows(stdout: string): string[][] {
  return stdout
    .split(RECORD)
    .flatMap((chunk) => chunk.split('\n'))
    .filter((record) => record !== '')
    .map((record) => record.split(FIELD));
}

/**
 * Runs the SQL on the cluster as it is now. psql's port and socket come from postmaster.pid
 * (socketOf reads it each time, so a restart on a new port is followed); pg_lsclusters, 50 ms
 * of Perl, runs only when this process has not yet seen the cluster running.
 */
export async function sqlOn(ref: ClusterRef, sql: string, log: Logger, options: SqlOptions = {}): Promise<string[][]> {
  const seen = lastDescribed(ref);
  const cluster = seen && readPostmasterPid(seen.dataDir)?.port ? seen : await describeCluster(ref, log);
  return querySql(cluster, sql, log, options);
}

/** The first column of the first row, or undefined. */
export async function sqlValue(ref: ClusterRef, sql: string, log: Logger, options: SqlOptions = {}): Promise<string | undefined> {
  return (await sqlOn(ref, sql, log, options))[0]?.[0];
}

/** A SQL string literal (standard_conforming_strings is on since 9.1). */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A SQL identifier, always quoted. */
export function ident(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/** Where a plan's SQL runs on this node: the local cluster, as postgres over its socket. */
export function localTarget(ref: ClusterRef): SqlTarget {
  return { on: 'local', version: ref.version, cluster: ref.name };
}
