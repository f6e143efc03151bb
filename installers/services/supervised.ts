import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { ApplyContext, OwnServiceRef } from '../../src/engine/actions.js';
import { ApplyError } from '../../src/system/errors.js';
import { childEnvironment } from '../../src/system/exec.js';
import { supervisedStatus, supervisorAlive, supervisorState } from './state.js';
import { pidPath, readSpec, runDir, specPath, statePath } from './spec.js';

/** The supervisor model's side of the `service` actions: start it detached, signal it, remove it. */

/** The last lines of a service's log, for an error that says why it did not come up. */
export function logTail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${path})`;
  }
}

const gone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] === 'Z';
  } catch {
    return true;
  }
};

/**
 * Starts `ha-install supervise NAME` (the action's command) in a session of its own, its output
 * to the service's log, so it outlives this run and holds none of its pipes; then waits until
 * the child runs (and its port answers, when it has one).
 */
export async function startSupervisor(ref: OwnServiceRef, command: string[], ctx: ApplyContext, waitReady: (ref: OwnServiceRef) => Promise<boolean>): Promise<void> {
  const spec = readSpec(ref.name);
  mkdirSync(runDir, { recursive: true, mode: 0o755 });
  mkdirSync(dirname(spec.log), { recursive: true, mode: 0o750 });
  const fd = openSync(spec.log, 'a', 0o640);
  ctx.log.write('exec', `$ ${command.join(' ')}   (detached, output to ${spec.log})`);
  const child = spawn(command[0]!, command.slice(1), { detached: true, stdio: ['ignore', fd, fd], cwd: '/', env: childEnvironment(ctx.log) });
  child.unref();
  closeSync(fd);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const status = supervisedStatus(ref.name);
    if (status.state === 'running' && (await waitReady(ref))) return;
    if (status.state === 'stopped' && child.exitCode !== null) break; // the supervisor itself ended
    await delay(100);
  }
  throw new ApplyError(`The service ${ref.name} did not come up within 15 s${ref.ready ? ` (nothing answers on ${ref.ready.host}:${ref.ready.port})` : ''}.\n${logTail(spec.log)}`, {
    nextSteps: [`Its log: ${spec.log}`],
  });
}

/** SIGTERM to the supervisor (it stops the child first); after 15 s, SIGKILL to both. */
export async function stopSupervisor(name: string, ctx: ApplyContext): Promise<boolean> {
  const pid = supervisorAlive(name);
  if (pid === undefined) return false;
  const child = supervisorState(name)?.child;
  ctx.log.info(`stopping the supervisor ${pid} of ${name}`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (!gone(pid) && Date.now() < deadline) await delay(50);
  if (!gone(pid)) {
    ctx.log.warn(`${name}: the supervisor ${pid} did not stop within 15 s: killing it and its child`);
    for (const target of [pid, child]) if (target !== undefined && !gone(target)) process.kill(target, 'SIGKILL');
  }
  rmSync(pidPath(name), { force: true });
  rmSync(statePath(name), { force: true });
  return true;
}

/** A reload is the service's own signal (HAProxy's master re-reads its configuration on SIGUSR2). */
export function reloadSupervised(ref: OwnServiceRef): void {
  const child = supervisorState(ref.name)?.child;
  if (!ref.reloadSignal) throw new ApplyError(`The service ${ref.name} has no reload: restart it instead.`);
  if (child === undefined || gone(child)) throw new ApplyError(`The service ${ref.name} is not running, so it cannot be reloaded.`);
  process.kill(child, ref.reloadSignal);
}

/** Stops it and deletes its registry entry (backed up first). */
export async function removeSupervised(name: string, ctx: ApplyContext): Promise<string> {
  const stopped = await stopSupervisor(name, ctx);
  if (!existsSync(specPath(name))) return stopped ? 'stopped' : 'nothing there';
  removeRunFiles(name);
  await ctx.backup(specPath(name));
  rmSync(specPath(name));
  return stopped ? 'stopped and removed' : 'removed';
}

/** What the service left in /run (its spec says which files): gone with it. */
export function removeRunFiles(name: string): void {
  try {
    for (const path of readSpec(name).runFiles ?? []) rmSync(path, { force: true });
  } catch (error) {
    // A registry entry that cannot be read has no run files to name; the removal goes on.
    if (!(error instanceof ApplyError)) throw error;
  }
}
