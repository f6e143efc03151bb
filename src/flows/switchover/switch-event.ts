import type { Logger } from '../../system/log.js';

/**
 * The one place a finished switchover is announced, after the pair's history has it (the
 * `switchover` row in ha_install.events, written on the new primary by the plan). The AMM event
 * script (`ManualSwitch <active host> <standby host>`, run on the new primary) comes with the
 * events issue: it is called from here.
 */
export async function announceSwitch(event: { active: string; standby: string; log: Logger }): Promise<void> {
  event.log.info(`switchover done: ManualSwitch ${event.active} ${event.standby}`);
}
