import { defaultTitle } from '../prompts/titles.js';
import { applyStep, confirmStep, planStep } from './common-steps.js';
import { isHa, replicates, type Flow, type InstallContext } from './context.js';
import { resolveAddressAnswer } from './install/addresses.js';
import { recordInstall } from './install/apply-step.js';
import { chooseMode, confirmHighAvailability } from './install/mode.js';
import { buildPlan } from './install/plan-step.js';
import { checkReachability } from './install/reachability.js';
import { askReplication } from './install/replication.js';
import { preflight } from './install/preflight.js';
import { checkRequirements } from './install/requirements-step.js';

const ha = (ctx: InstallContext) => isHa(ctx.answers);
const replicating = (ctx: InstallContext) => replicates(ctx.answers);

/**
 * The wizard, in the Motadata order. Every check comes before the plan; only the apply changes
 * the machine. The preflight is the replication's on a database node, the balancer's in mode 4.
 */
export const installFlow: Flow<InstallContext> = {
  command: 'install',
  title: defaultTitle,
  needsRoot: true,
  doneTitle: 'Installation complete',
  steps: [
    { id: 'mode', title: 'Install mode', run: chooseMode },
    { id: 'confirm-ha', title: 'Set up High Availability?', when: ha, run: confirmHighAvailability },
    { id: 'requirements', title: 'Requirement check', run: checkRequirements },
    { id: 'master-ip', title: 'Master IP', when: ha, run: (ctx) => resolveAddressAnswer(ctx, 'masterIp') },
    { id: 'slave-ip', title: 'Slave IP', when: ha, run: (ctx) => resolveAddressAnswer(ctx, 'slaveIp') },
    { id: 'balancer-ip', title: 'Load balancer IP', when: ha, run: (ctx) => resolveAddressAnswer(ctx, 'balancerIp') },
    { id: 'reachability', title: 'Reachability check', when: ha, run: checkReachability },
    { id: 'replication', title: 'Backup password', when: replicating, run: askReplication },
    { id: 'preflight', title: 'Preflight checks', when: ha, run: preflight },
    planStep(buildPlan),
    confirmStep,
    applyStep('Installation', recordInstall),
  ],
};
