import { spawn } from 'node:child_process';
import { appendFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../src/system/log.js';

/**
 * Events, after AMM's custom script: on each one the admin's script (if any) runs as root with
 * AMM's arguments, `Failover <active> <standby>`, `StandbyOffline <standby> <active>`,
 * `ManualSwitch <active> <standby>`, `RaiseAlarm <condition> <message>`, `ClearAlarm <text>`;
 * and every event goes to the node's JSON-lines event log, which `status` shows. A script that
 * fails or hangs is logged and killed after its timeout; it never blocks what fired it.
 */
export type EventName = 'Failover' | 'StandbyOffline' | 'ManualSwitch' | 'RaiseAlarm' | 'ClearAlarm';

export interface HaEvent {
  name: EventName;
  args: string[];
}

export interface EventSettings {
  /** The admin's script, an absolute path; none: events are only logged. */
  script?: string;
  timeoutSeconds: number;
  /** The node's state folder: events.jsonl lives there. */
  stateDir: string;
}

export const eventLogPath = (stateDir: string) => join(stateDir, 'events.jsonl');

export interface EventRecord extends HaEvent {
  at: string;
  script?: { exitCode?: number; signal?: string; timedOut?: boolean; error?: string; ms: number };
}

/** What runs as root must be root's alone: owned by root, not writable by group or others. */
export function scriptProblem(path: string): string | undefined {
  try {
    const info = statSync(path);
    if (!info.isFile()) return `${path} is not a regular file`;
    if (info.uid !== 0) return `${path} is not owned by root (it runs as root)`;
    if ((info.mode & 0o022) !== 0) return `${path} can be changed by group or others (mode ${(info.mode & 0o777).toString(8)})`;
    if ((info.mode & 0o100) === 0) return `${path} is not executable`;
    return undefined;
  } catch {
    return `${path} does not exist`;
  }
}

function runScript(script: string, event: HaEvent, timeoutSeconds: number, log: Logger): Promise<NonNullable<EventRecord['script']>> {
  const started = Date.now();
  return new Promise((resolve) => {
    const problem = scriptProblem(script);
    if (problem) return resolve({ error: problem, ms: 0 });
    const child = spawn(script, [event.name, ...event.args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' }, cwd: '/' });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the script and whatever it started
      } catch {
        // already gone
      }
    }, timeoutSeconds * 1000);
    child.stdout.on('data', (chunk: Buffer) => log.write('event', `${event.name}: ${String(chunk).trimEnd()}`));
    child.stderr.on('data', (chunk: Buffer) => log.write('event', `${event.name}: ${String(chunk).trimEnd()}`));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ error: error.message, ms: Date.now() - started });
    });
    // Its end is its exit, not the close of its output: a child it left in the background may
    // hold the pipes for ever (the timeout kills the group, not one that left it). Output still
    // buffered comes in the next moment; then the pipes are let go.
    child.on('exit', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: exitCode ?? undefined, signal: signal ?? undefined, timedOut: timedOut || undefined, ms: Date.now() - started });
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 100).unref();
    });
  });
}

/**
 * Records the event and runs the script. Returns at once with the script's outcome as a
 * promise that never rejects: a failover does not wait for it.
 */
export function fireEvent(settings: EventSettings, event: HaEvent, log: Logger): { recorded: EventRecord; done: Promise<EventRecord> } {
  const recorded: EventRecord = { at: new Date().toISOString(), ...event };
  log.info(`event ${event.name} ${event.args.join(' ')}`);
  const done = (settings.script ? runScript(settings.script, event, settings.timeoutSeconds, log) : Promise.resolve(undefined))
    .then((script) => {
      const record = { ...recorded, ...(script ? { script } : {}) };
      if (script && (script.error || script.timedOut || script.exitCode !== 0)) log.warn(`event script for ${event.name}: ${script.error ?? (script.timedOut ? `killed after ${settings.timeoutSeconds} s` : `exit ${script.exitCode ?? script.signal}`)}`);
      appendFileSync(eventLogPath(settings.stateDir), JSON.stringify(record) + '\n', { mode: 0o600 });
      return record;
    })
    .catch((error: unknown) => {
      log.warn(`event ${event.name} could not be recorded: ${error instanceof Error ? error.message : String(error)}`);
      return recorded;
    });
  return { recorded, done };
}
