import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplyError } from '../../src/system/errors.js';

/**
 * A service of ha-install's own (the health agent, HAProxy where systemd does not run it, the
 * failover monitor next) is data: a name, what to run (argv from this build's runtime copy,
 * src/system/runtime.ts, never from the clone or the npx cache), as whom, a description, and
 * where its output goes when no journal takes it. The install writes it to
 * /etc/ha-install/services/NAME.json, the registry both service models read: with systemd a
 * unit is rendered from it (unit.ts), without systemd `ha-install supervise NAME` runs it
 * (supervisor.ts). Both models are driven by `service` actions (handler.ts).
 */
export interface ServiceSpec {
  /** `ha-install-agent-15-main`: the unit's name, the pid file's, the log's. */
  name: string;
  description: string;
  argv: string[];
  /** The OS user the main process runs as (HAProxy: root, it drops its privileges itself). */
  user: string;
  /** Where the supervisor appends the service's output and its own lines (systemd: the journal). */
  log: string;
  /** A TCP port that accepts connections once the service serves: a start waits for it. */
  ready?: { host: string; port: number };
  /** What a reload sends the main process (HAProxy in master-worker mode: SIGUSR2). */
  reloadSignal?: 'SIGHUP' | 'SIGUSR2';
  /** systemd units to order this one after (PostgreSQL's, for the agent). */
  after?: string[];
  /** Files the service leaves in /run (HAProxy's stats socket and saved states): removed with it. */
  runFiles?: string[];
}

export const servicesDir = '/etc/ha-install/services';
/** Run files (pid, state, the runtime fence of installers/postgresql/fence.ts): gone at boot, as they should be. */
export const runDir = '/run/ha-install';

export const specPath = (name: string) => join(servicesDir, `${name}.json`);
export const unitPath = (name: string) => `/etc/systemd/system/${name}.service`;
export const unitName = (name: string) => `${name}.service`;
export const pidPath = (name: string) => join(runDir, `${name}.pid`);
export const statePath = (name: string) => join(runDir, `${name}.state.json`);

/** Letters, digits, `_` and `-`: a name that is a file name, a unit name and an argv word as it is. */
export const SERVICE_NAME = /^[a-z][a-z0-9_-]{0,80}$/;

export function specContent(spec: ServiceSpec): string {
  return JSON.stringify(spec, null, 2) + '\n';
}

export function readSpec(name: string): ServiceSpec {
  if (!SERVICE_NAME.test(name)) throw new ApplyError(`"${name}" is not the name of an ha-install service.`, { nextSteps: ['See the installed ones with: ha-install service list'] });
  const path = specPath(name);
  if (!existsSync(path)) throw new ApplyError(`No ha-install service ${name} is installed here (${path} is missing).`, { nextSteps: ['See the installed ones with: ha-install service list'] });
  return JSON.parse(readFileSync(path, 'utf8')) as ServiceSpec;
}

/** The services installed on this machine, by name. */
export function installedServices(dir = servicesDir): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
        .filter((n) => SERVICE_NAME.test(n))
        .sort()
    : [];
}
