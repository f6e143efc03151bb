import { existsSync, readFileSync } from 'node:fs';
import type { ServiceRef } from '../../src/engine/actions.js';
import { run } from '../../src/system/exec.js';
import type { Logger } from '../../src/system/log.js';
import type { SupervisorState } from './supervisor.js';
import { pidPath, specPath, statePath, unitName } from './spec.js';

/** One service as `status` and `service list` show it, whichever model runs it. */
export interface ServiceStatus {
  name: string;
  model: 'systemd' | 'supervisor';
  state: 'running' | 'restarting' | 'stopped' | 'failed' | 'not installed';
  pid?: number;
  /** When the running process started (ISO). */
  since?: string;
  restarts?: number;
  /** The last exit, or systemd's sub-state. */
  detail?: string;
  enabled?: boolean;
}

const argvOf = (pid: number): string[] => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return []; // gone
  }
};

const isZombie = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] === 'Z';
  } catch {
    return true;
  }
};

/** The pid of the live supervisor of `name` (other than `except`), if one runs: its pid file names a process that is one. */
export function supervisorAlive(name: string, except?: number): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidPath(name), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === except || isZombie(pid)) return undefined;
  const argv = argvOf(pid);
  return argv.includes('supervise') && argv.includes(name) ? pid : undefined;
}

export function supervisorState(name: string): SupervisorState | undefined {
  try {
    return JSON.parse(readFileSync(statePath(name), 'utf8')) as SupervisorState;
  } catch {
    return undefined; // not written yet, or gone with its supervisor
  }
}

/**
 * `systemctl show` of a unit, as a map. When systemctl cannot answer (no systemd running, as
 * for a dry run of a recorded systemd machine here) the map holds `Error` instead: a reader
 * reports it, a handler that must act on the unit stops on it.
 */
export async function unitProperties(unit: string, log: Logger): Promise<Map<string, string>> {
  const r = await run(['systemctl', 'show', '--no-pager', '-p', 'LoadState,ActiveState,SubState,MainPID,ExecMainStartTimestamp,NRestarts,UnitFileState,NeedDaemonReload', unit], log, { title: `Reading the state of ${unit}`, reject: false });
  if (r.exitCode !== 0) return new Map([['Error', `systemctl show ${unit} failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n')[0] ?? ''}`]]);
  return new Map(r.stdout.split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as [string, string]));
}

async function systemdStatus(name: string, unit: string, log: Logger): Promise<ServiceStatus> {
  const p = await unitProperties(unit, log);
  if (p.has('Error')) return { name, model: 'systemd', state: 'stopped', detail: p.get('Error') };
  const active = p.get('ActiveState');
  const pid = Number(p.get('MainPID') ?? 0);
  const state: ServiceStatus['state'] =
    p.get('LoadState') === 'not-found' ? 'not installed' : active === 'active' ? 'running' : active === 'activating' ? 'restarting' : active === 'failed' ? 'failed' : 'stopped';
  const started = p.get('ExecMainStartTimestamp');
  const startedAt = started ? new Date(started.replace(/^\w+ /, '')) : undefined; // "Mon 2024-05-06 07:08:09 UTC"
  const since = startedAt && !Number.isNaN(startedAt.getTime()) ? startedAt.toISOString() : started || undefined;
  return {
    name,
    model: 'systemd',
    state,
    pid: pid > 0 ? pid : undefined,
    since: state === 'running' ? since : undefined,
    restarts: p.has('NRestarts') ? Number(p.get('NRestarts')) : undefined,
    detail: `${unit} ${active}/${p.get('SubState')}`,
    enabled: p.get('UnitFileState') === 'enabled',
  };
}

export function supervisedStatus(name: string): ServiceStatus {
  if (!existsSync(specPath(name))) return { name, model: 'supervisor', state: 'not installed' };
  const supervisor = supervisorAlive(name);
  const state = supervisor ? supervisorState(name) : undefined;
  const child = state?.child !== undefined && !isZombie(state.child) ? state.child : undefined;
  return {
    name,
    model: 'supervisor',
    state: !supervisor ? 'stopped' : child ? 'running' : 'restarting',
    pid: child,
    since: child ? state?.since : undefined,
    restarts: state?.restarts,
    detail: supervisor ? `supervisor pid ${supervisor}${state?.lastExit ? `; last exit: ${state.lastExit}` : ''}` : state?.lastExit,
  };
}

/** The state of a service the plan started: an own service under either model, or a package's unit. */
export async function serviceStatus(ref: Exclude<ServiceRef, { kind: 'postgresql' }>, log: Logger): Promise<ServiceStatus> {
  if (ref.kind === 'systemd-unit') return systemdStatus(ref.unit, ref.unit, log);
  return ref.init === 'systemd' ? systemdStatus(ref.name, unitName(ref.name), log) : supervisedStatus(ref.name);
}
