import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { userIds } from '../../src/system/users.js';
import { supervisorAlive } from './state.js';
import { pidPath, readSpec, runDir, statePath, type ServiceSpec } from './spec.js';

/**
 * `ha-install supervise NAME`: where PID 1 is not systemd (containers, CI), this keeps one
 * service running as systemd's Restart=always would. It runs the service's argv as its user,
 * restarts it when it ends, waiting 1 s, then twice as long after each quick failure up to
 * 30 s (a run of a minute resets it), and writes its pid and the child's to /run/ha-install.
 * Its output and the supervisor's own lines go to the service's log. SIGTERM (what
 * `ha-install service stop` and a re-install send) stops the child, then the supervisor.
 *
 * The child runs under `setpriv --pdeathsig TERM`: if the supervisor itself is killed (kill -9),
 * the kernel ends the child too, so no orphan keeps the port for the next supervisor.
 */

export interface SupervisorState {
  supervisor: number;
  child?: number;
  /** ISO time the current child started. */
  since?: string;
  restarts: number;
  lastExit?: string;
}

export const BACKOFF = { firstMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text, { mode: 0o644 });
  renameSync(`${path}.tmp`, path);
}

/** The child's argv: as its user (unless root), ended by the kernel when the supervisor dies. */
export function childArgv(spec: ServiceSpec): string[] {
  const as = spec.user === 'root' ? [] : (() => {
    const ids = userIds(spec.user);
    return [`--reuid=${ids.uid}`, `--regid=${ids.gid}`, '--init-groups'];
  })();
  return ['setpriv', ...as, '--pdeathsig', 'TERM', '--', ...spec.argv];
}

export async function supervise(name: string): Promise<void> {
  const spec = readSpec(name);
  mkdirSync(runDir, { recursive: true, mode: 0o755 });
  mkdirSync(dirname(spec.log), { recursive: true, mode: 0o750 });
  const logFd = openSync(spec.log, 'a', 0o640);
  const say = (line: string) => appendFileSync(logFd, `${new Date().toISOString()} ha-install supervise ${name}: ${line}\n`);
  if (supervisorAlive(name, process.pid)) {
    say('another supervisor of this service runs already: leaving it alone');
    closeSync(logFd);
    return;
  }
  writeAtomic(pidPath(name), `${process.pid}\n`);
  const state: SupervisorState = { supervisor: process.pid, restarts: 0 };
  const save = () => writeAtomic(statePath(name), JSON.stringify(state) + '\n');
  let stopping = false;
  let child: ChildProcess | undefined;
  let wake: (() => void) | undefined;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping the service`);
    child?.kill('SIGTERM');
    setTimeout(() => child?.kill('SIGKILL'), 10_000).unref();
    wake?.();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => spec.reloadSignal && child?.kill(spec.reloadSignal)); // a reload, forwarded
  let backoff = BACKOFF.firstMs;
  say(`supervising: ${spec.argv.join(' ')} (as ${spec.user})`);
  while (!stopping) {
    const started = Date.now();
    const argv = childArgv(spec);
    child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', logFd, logFd], cwd: '/', env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' } });
    const ended = new Promise<string>((resolve) => {
      child!.on('error', (error) => resolve(`could not start: ${error.message}`));
      child!.on('exit', (code, signal) => resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`));
    });
    Object.assign(state, { child: child.pid, since: new Date().toISOString() });
    save();
    const how = await ended;
    Object.assign(state, { child: undefined, lastExit: `${how} at ${new Date().toISOString()}` });
    save();
    if (stopping) break;
    if (Date.now() - started > BACKOFF.resetAfterMs) backoff = BACKOFF.firstMs;
    say(`the service ${how}; starting it again in ${backoff / 1000} s`);
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, backoff); // not unref'd: this wait is all that keeps the supervisor alive
    });
    backoff = Math.min(backoff * 2, BACKOFF.maxMs);
    state.restarts++;
  }
  say('stopped');
  rmSync(statePath(name), { force: true });
  rmSync(pidPath(name), { force: true });
  closeSync(logFd);
}
