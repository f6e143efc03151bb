import { closeSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { ApplyError } from '../../src/system/errors.js';
import { run } from '../../src/system/exec.js';
import { livePids } from '../../src/system/processes.js';
import type { Logger } from '../../src/system/log.js';
import { binDir, postmasterAlive, readPostmasterPid, service, type Cluster } from './cluster.js';

/**
 * Starting a cluster on a machine without systemd.
 *
 * `pg_ctlcluster start` runs `pg_ctl start`, which already waits until the server is ready (or
 * a hot standby), and then adds a fixed settle loop: 0.5 s, then psql probes 0.5 s apart until
 * three in a row agree. Every start so costs at least 2 s more than the server needs; in
 * `npm run bench` that was the largest part of what ha-install added to a slave install.
 *
 * `directStartPlan` runs pg_ctl as pg_ctlcluster does (postgresql-common 248 in Debian 12, `start` in
 * /usr/bin/pg_ctlcluster): the same `-o` options, the same cleared environment with LANG and
 * PG_OOM_ADJUST_FILE, the same log file, its own session (pg_ctl detaches the postmaster
 * itself), the same best-effort OOM protection (-900 for the postmaster, which its children
 * reset to 0; a container may refuse it, as pg_ctlcluster then silently accepts), minus the
 * settle loop. Readiness is what pg_ctl -w waits for (waitUntilReady), then the SQL checks
 * that follow every start.
 * Whatever only pg_ctlcluster knows how to honour sends the start back to it: start.conf
 * "disabled", an `environment` file that sets variables, pg_ctl.conf options, a leftover
 * postmaster.pid, a missing log file or socket directory (after a reboot /run is empty), a
 * cluster owner other than postgres, a path a shell would split.
 * With systemd the unit starts it: `systemctl status` must agree with the truth.
 */

export interface StartHost {
  read(path: string): string | undefined;
  stat(path: string): { isDirectory: boolean; uid: number; gid: number; mode: number } | undefined;
  /** The login name and primary group of a uid, from /etc/passwd. */
  user(uid: number): { name: string; gid: number } | undefined;
}

export type DirectStart = { argv: string[] } | { fallback: string };

const RUN_DIR = '/var/run/postgresql';
/** What may go inside pg_ctl's -o string, which /bin/sh reads. */
const SHELL_SAFE = /^[\w./,:+-]+$/;

export const realHost: StartHost = {
  read: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  stat: (path) => {
    try {
      const s = statSync(path);
      return { isDirectory: s.isDirectory(), uid: s.uid, gid: s.gid, mode: s.mode };
    } catch {
      return undefined;
    }
  },
  user: (uid) => {
    const fields = (realHost.read('/etc/passwd') ?? '')
      .split('\n')
      .map((line) => line.split(':'))
      .find((f) => f.length > 3 && Number(f[2]) === uid);
    return fields ? { name: fields[0]!, gid: Number(fields[3]) } : undefined;
  },
};

/** Lines that set something, comments and blank lines aside. */
const settingLines = (text: string | undefined): string[] =>
  (text ?? '')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);

/** pg_ctl.conf's pg_ctl_options: the last line wins, as postgresql-common reads the file. */
function pgCtlOptions(text: string | undefined): string {
  const line = settingLines(text).filter((l) => /^pg_ctl_options\s*=/.test(l)).at(-1);
  return (line?.replace(/^pg_ctl_options\s*=\s*/, '') ?? '').replace(/^'(.*)'$/, '$1').trim();
}

function writableBy(s: { uid: number; gid: number; mode: number }, uid: number, gid: number): boolean {
  return s.uid === uid ? (s.mode & 0o200) !== 0 : s.gid === gid ? (s.mode & 0o020) !== 0 : (s.mode & 0o002) !== 0;
}

/** The argv that starts `cluster` as pg_ctlcluster would, or why pg_ctlcluster itself must. */
export function directStartPlan(cluster: Cluster, host: StartHost = realHost): DirectStart {
  const info = cluster.start;
  if (!cluster.exists || !info) return { fallback: 'pg_lsclusters does not know the cluster' };
  if (info.mode === 'disabled') return { fallback: 'start.conf says disabled' };
  if (settingLines(host.read(`${cluster.confDir}/environment`)).length > 0) return { fallback: `${cluster.confDir}/environment sets variables` };
  // `-p <ha-install's start guard>` is ours (guard-plan.ts): passed on as pg_ctlcluster would; any other option is the admin's.
  const pgCtl = pgCtlOptions(host.read(`${cluster.confDir}/pg_ctl.conf`));
  const guard = pgCtl.match(/^-p\s+(\S+)$/)?.[1];
  if (pgCtl !== '' && guard === undefined) return { fallback: `${cluster.confDir}/pg_ctl.conf sets pg_ctl_options` };
  if (host.stat(`${cluster.dataDir}/postmaster.pid`)) return { fallback: 'a postmaster.pid is present (pg_ctlcluster decides whether it is stale)' };
  if (!info.logFile || !host.stat(info.logFile)) return { fallback: 'the log file does not exist yet' };
  const runDir = host.stat(RUN_DIR);
  if (!runDir?.isDirectory) return { fallback: `${RUN_DIR} does not exist` };
  if (!host.stat(cluster.socketDir)?.isDirectory) return { fallback: `the socket directory ${cluster.socketDir} does not exist` };
  const statsTemp = info.config.stats_temp_directory;
  if (statsTemp && !host.stat(statsTemp)?.isDirectory) return { fallback: `stats_temp_directory ${statsTemp} does not exist` };
  const owner = host.user(info.ownerUid);
  if (owner?.name !== 'postgres') return { fallback: 'the cluster is not owned by the postgres user' };

  // pg_ctlcluster's postgres options: only what postgresql.conf does not already set.
  const has = (name: string) => Boolean(info.config[name]);
  const options: [string, string][] = [];
  if (!has('unix_socket_directories')) options.push(['unix_socket_directories', cluster.socketDir]);
  options.push(['config_file', `${cluster.confDir}/postgresql.conf`]);
  if (!has('hba_file')) options.push(['hba_file', `${cluster.confDir}/pg_hba.conf`]);
  if (!has('ident_file')) options.push(['ident_file', `${cluster.confDir}/pg_ident.conf`]);
  if (info.config.external_pid_file === undefined && writableBy(runDir, info.ownerUid, owner.gid)) {
    options.push(['external_pid_file', `${RUN_DIR}/${cluster.version}-${cluster.name}.pid`]);
  }
  const lang = info.config.lc_messages;
  const unsafe = [...options.map(([, value]) => value), cluster.dataDir, info.logFile, lang ?? '', guard ?? ''].find((v) => v !== '' && !SHELL_SAFE.test(v));
  if (unsafe !== undefined) return { fallback: `${unsafe} has characters a shell would read` };

  return {
    argv: [
      'runuser', '-u', owner.name, '--',
      'env', '-i', ...(lang ? [`LANG=${lang}`] : []), 'PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj',
      // -W: pg_ctl -w checks readiness every 100 ms; waitUntilReady checks every 10 ms.
      `${binDir(cluster.version)}/pg_ctl`, 'start', '-W',
      '-D', cluster.dataDir, '-l', info.logFile,
      ...(guard ? ['-p', guard] : []),
      '-o', options.map(([name, value]) => `-c ${name}="${value}"`).join(' '),
    ],
  };
}

/** What the server wrote to its log since `offset`: the reason a start failed. */
function logSince(path: string, offset: number): string {
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(64 * 1024, Math.max(0, statSync(path).size - offset)));
      readSync(fd, buffer, 0, buffer.length, offset);
      return buffer.toString('utf8').trim().split('\n').slice(-10).join('\n');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** An ApplyError that carries what the server wrote to its log since `offset` (the reason it failed). */
function withLog(logFile: string | undefined, offset: number, message: string, nextSteps: string[] = []): ApplyError {
  const said = logFile ? logSince(logFile, offset) : '';
  return new ApplyError(said ? `${message}\nThe server log (${logFile}) says:\n${said}` : message, { nextSteps });
}

const logSize = (logFile: string | undefined): number => (logFile && realHost.stat(logFile) ? statSync(logFile).size : 0);

/**
 * Runs a start or restart through the systemd unit; a failure carries the server log, which
 * systemctl itself does not show (pg_ctlcluster's own report of it goes to the journal).
 */
export async function throughUnit(cluster: Cluster, op: 'start' | 'restart', log: Logger): Promise<void> {
  const logFile = cluster.start?.logFile;
  const offset = logSize(logFile);
  try {
    await service(cluster, op, 'systemd', log);
  } catch (error) {
    throw error instanceof ApplyError ? withLog(logFile, offset, error.message, error.nextSteps) : error;
  }
}

/** Starts a stopped cluster: the systemd unit, else pg_ctl directly, else pg_ctlcluster. */
export async function startCluster(cluster: Cluster, init: 'systemd' | 'none', log: Logger): Promise<void> {
  if (init === 'systemd') return throughUnit(cluster, 'start', log);
  const plan = directStartPlan(cluster);
  if ('fallback' in plan) {
    log.info(`starting ${cluster.version}/${cluster.name} with pg_ctlcluster: ${plan.fallback}`);
    return service(cluster, 'start', init, log); // pg_ctlcluster prints the server log itself
  }
  const logFile = cluster.start!.logFile!;
  const offset = logSize(logFile);
  const failed = (message: string, nextSteps: string[] = []) => withLog(logFile, offset, message, nextSteps);
  try {
    await run(plan.argv, log, { title: `PostgreSQL ${cluster.version}/${cluster.name} start`, timeoutMs: 60_000, cwd: '/' });
  } catch (error) {
    throw error instanceof ApplyError ? failed(error.message, error.nextSteps) : error;
  }
  const outcome = await waitUntilReady(cluster.dataDir);
  if (outcome !== 'ready') {
    throw failed(
      outcome === 'exited'
        ? `PostgreSQL ${cluster.version}/${cluster.name} stopped while starting.`
        : `PostgreSQL ${cluster.version}/${cluster.name} did not accept connections within ${START_TIMEOUT_MS / 1000} s (it may still be recovering).`,
      [`See the server log: ${logFile}`],
    );
  }
  log.info(`PostgreSQL ${cluster.version}/${cluster.name} is ready`);
  protectFromOomKiller(cluster.dataDir, log);
}

const START_TIMEOUT_MS = 300_000;

/** Whether a process serves `dataDir`: the postmaster (`postgres -D dir`), or the shell pg_ctl starts it from. */
const startingOn = (dataDir: string): boolean =>
  livePids((argv) => argv.some((a, i) => (a === dataDir && argv[i - 1] === '-D') || a.includes(`-D "${dataDir}"`))).length > 0;

/**
 * pg_ctl -w's wait, every 10 ms rather than every 100 ms: the status line of postmaster.pid
 * says "ready" (a primary) or "standby" (a standby that accepts connections). A postmaster
 * that exits first (a bad setting, a port in use) ends the wait at once.
 */
async function waitUntilReady(dataDir: string): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  // "Gone" must last 200 ms: while the guard's shell execs postgres its /proc cmdline reads
  // empty for a moment, and under load that moment is long enough to be seen.
  let goneSince: number | undefined;
  for (let i = 0; Date.now() < deadline; i++) {
    const pidFile = readPostmasterPid(dataDir);
    if (pidFile?.status === 'ready' || pidFile?.status === 'standby') return 'ready';
    goneSince = (pidFile ? postmasterAlive(dataDir) : startingOn(dataDir)) ? undefined : (goneSince ?? Date.now());
    if (goneSince !== undefined && Date.now() - goneSince >= 200) return 'exited';
    await delay(i < 300 ? 10 : 100);
  }
  return 'timeout';
}

/**
 * pg_ctlcluster's OOM protection, done after the start: the postmaster gets -900; children it
 * forked already have 0, later ones reset themselves to 0 (PG_OOM_ADJUST_FILE). Lowering the
 * value needs CAP_SYS_RESOURCE, which a container may withhold: then it stays as it was.
 */
function protectFromOomKiller(dataDir: string, log: Logger): void {
  const pid = readPostmasterPid(dataDir)?.pid;
  if (pid === undefined) return;
  try {
    writeFileSync(`/proc/${pid}/oom_score_adj`, '-900\n');
    log.info(`postmaster ${pid}: oom_score_adj -900`);
  } catch (error) {
    log.info(`postmaster ${pid}: oom_score_adj left as it was (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
