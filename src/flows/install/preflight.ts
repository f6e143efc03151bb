import type { Answers } from '../../answers/types.js';
import { refuseFailedChecks, showChecks } from '../common-steps.js';
import { balancerPreflight } from '../../../installers/haproxy/preflight.js';
import { DEFAULT_LOG_DIR } from '../../../installers/agent/plan.js';
import type { InstallContext } from '../context.js';
import { preflightReplication } from './replication.js';
import { settle } from './settle.js';

/** The failover monitor's and the witness's: both database nodes and the balancer read them. */
export const monitorKeys = ['failoverAutomatic', 'failoverIntervalMs', 'failoverCheckTimeoutMs', 'failoverFailures', 'fenceAfterSeconds', 'failoverAfterSeconds', 'pingTargets', 'pingGateway', 'witnessPort', 'eventScript', 'eventTimeoutSeconds'] as const;
/** The fields the agent and the balancer read, from flag or file, else their defaults. */
export const agentKeys = ['agentPort', 'agentTimeoutMs', 'openFirewall', ...monitorKeys] as const;
export const balancerKeys = ['balancerPort', 'statsPort', 'appPort', 'haproxyConfig', 'haproxyTemplate', 'pgPort', ...agentKeys] as const;

/** Where services log without systemd: the run's log folder, so the demo's stay in the demo's. */
export const serviceLogDir = (ctx: Pick<InstallContext, 'options'>) => ctx.options.logDir ?? DEFAULT_LOG_DIR;

/** Mode 4: the template, HAProxy's own check, the ports, the agents on both nodes; all before any change. */
async function preflightBalancer(ctx: InstallContext): Promise<void> {
  await settle(ctx, balancerKeys);
  const rows = await balancerPreflight(ctx.answers as Answers, { init: ctx.facts.init, logDir: serviceLogDir(ctx), log: ctx.log });
  showChecks(ctx, 'Balancer preflight', 'preflight', rows);
  refuseFailedChecks(rows, 'The balancer preflight failed: nothing was changed.');
}

export async function preflight(ctx: InstallContext): Promise<void> {
  if (ctx.answers.mode === 'load-balancer') return preflightBalancer(ctx);
  await settle(ctx, agentKeys);
  return preflightReplication(ctx);
}
