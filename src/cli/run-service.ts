import { Logger } from '../system/log.js';
import { detectInit } from '../system/facts.js';
import { serviceStatus, type ServiceStatus } from '../../installers/services/state.js';
import { installedServices, unitPath } from '../../installers/services/spec.js';
import { existsSync } from 'node:fs';

/** One line per service: name, model, state, pid, since, restarts. */
export function serviceLine(s: ServiceStatus): string {
  const parts = [s.state, s.pid ? `pid ${s.pid}` : '', s.since ? `since ${s.since}` : '', s.restarts ? `${s.restarts} restart${s.restarts === 1 ? '' : 's'}` : '', s.model === 'systemd' && s.enabled === false ? 'NOT enabled' : ''];
  return `${s.name.padEnd(36)} ${s.model.padEnd(10)} ${parts.filter(Boolean).join(', ')}${s.detail && s.state !== 'running' ? ` (${s.detail})` : ''}`;
}

/** `ha-install service list [--json]`: every service ha-install installed here, whichever model runs it. */
export async function runServiceList(options: { json: boolean }): Promise<void> {
  const log = new Logger(undefined);
  const init = detectInit();
  const states = await Promise.all(
    installedServices().map((name) => serviceStatus({ kind: 'ha-install', name, init: init === 'systemd' && existsSync(unitPath(name)) ? 'systemd' : 'none' }, log)),
  );
  if (options.json) {
    process.stdout.write(JSON.stringify({ services: states }) + '\n');
    return;
  }
  if (states.length === 0) process.stdout.write('No ha-install service is installed on this machine.\n');
  for (const state of states) process.stdout.write(serviceLine(state) + '\n');
}
