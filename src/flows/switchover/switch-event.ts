import { existsSync, readFileSync } from 'node:fs';
import type { Logger } from '../../system/log.js';
import type { ClusterRef } from '../../../installers/postgresql/cluster.js';
import { monitorConfigPath, type MonitorConfig } from '../../../installers/monitor/config.js';
import { fireEvent } from '../../../installers/monitor/events.js';

/**
 * The one place a finished switchover is announced, after the pair's history has it (the
 * `switchover` row in ha_install.events, written on the new primary by the plan): AMM's
 * `ManualSwitch <active host> <standby host>`, in this node's event log (status shows it) and
 * to the event script this node's monitor runs (events.script), waited for within its timeout.
 */
export async function announceSwitch(event: { active: string; standby: string; log: Logger; stateDir: string; cluster?: ClusterRef }): Promise<void> {
  const path = event.cluster ? monitorConfigPath(event.cluster) : undefined;
  let events: MonitorConfig['events'] = { timeoutSeconds: 10 };
  try {
    if (path && existsSync(path)) events = (JSON.parse(readFileSync(path, 'utf8')) as MonitorConfig).events;
  } catch (error) {
    event.log.warn(`the monitor's settings ${path} could not be read (${error instanceof Error ? error.message : String(error)}): the event is only logged`);
  }
  event.log.info(`switchover done: ManualSwitch ${event.active} ${event.standby}`);
  await fireEvent({ script: events.script, timeoutSeconds: events.timeoutSeconds, stateDir: event.stateDir }, { name: 'ManualSwitch', args: [event.active, event.standby] }, event.log).done;
}
