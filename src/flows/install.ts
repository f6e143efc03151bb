import { saveAnswers } from '../answers/save.js';
import { AbortError } from '../system/errors.js';
import { isHa, replicates, type InstallContext, type Step } from './context.js';
import { resolveAddressAnswer } from './install/addresses.js';
import { applyInstall, nextSteps } from './install/apply-step.js';
import { chooseMode, confirmHighAvailability } from './install/mode.js';
import { confirmPlan, showPlan } from './install/plan-step.js';
import { checkReachability } from './install/reachability.js';
import { askReplication, preflightReplication } from './install/replication.js';
import { checkRequirements } from './install/requirements-step.js';

/** The wizard, in the Motadata order. Every check comes before the plan; only `apply` changes the machine. */
export const installSteps: Step[] = [
  { id: 'mode', title: 'Install mode', run: chooseMode },
  { id: 'confirm-ha', title: 'Set up High Availability?', when: isHa, run: confirmHighAvailability },
  { id: 'requirements', title: 'Requirement check', run: checkRequirements },
  { id: 'master-ip', title: 'Master IP', when: isHa, run: (ctx) => resolveAddressAnswer(ctx, 'masterIp') },
  { id: 'slave-ip', title: 'Slave IP', when: isHa, run: (ctx) => resolveAddressAnswer(ctx, 'slaveIp') },
  { id: 'reachability', title: 'Reachability check', when: isHa, run: checkReachability },
  { id: 'replication', title: 'Backup password', when: replicates, run: askReplication },
  { id: 'preflight', title: 'Replication preflight', when: replicates, run: preflightReplication },
  { id: 'plan', title: 'The plan', run: showPlan },
  { id: 'confirm', title: 'Confirmation', run: confirmPlan },
  { id: 'apply', title: 'Installation', run: applyInstall },
];

export async function runInstall(ctx: InstallContext): Promise<void> {
  const steps = ctx.options.dryRun ? installSteps.filter((s) => s.id !== 'apply' && s.id !== 'confirm') : installSteps;
  ctx.ui.setSteps([...steps, { id: 'summary', title: 'Summary' }].map((s) => ({ id: s.id, title: s.title, state: 'pending' as const })));
  ctx.log.info(`ha-install ${ctx.options.dryRun ? 'dry run' : 'install'} started; front end ${ctx.ui.name}`);
  for (const step of steps) {
    if (step.when && !step.when(ctx.answers)) {
      ctx.ui.stepState(step.id, 'skipped');
      continue;
    }
    if (step.id === 'plan' && ctx.options.saveAnswers) {
      // Every answer is known by now: save them before anything changes, so a failed apply can be replayed.
      saveAnswers(ctx.options.saveAnswers, ctx.answers, ctx.options.force);
      ctx.notes.push(`answers saved (without secrets) to ${ctx.options.saveAnswers}`);
    }
    ctx.ui.stepState(step.id, 'running');
    try {
      await step.run(ctx);
      ctx.ui.stepState(step.id, 'done');
    } catch (error) {
      ctx.ui.stepState(step.id, 'failed', error instanceof AbortError ? error.message : undefined);
      throw error;
    }
  }
  ctx.ui.stepState('summary', 'done');
  ctx.ui.summary(ctx.options.dryRun ? 'Dry run complete' : 'Installation complete', [...nextSteps(ctx.answers, ctx.options.dryRun), ...ctx.notes, `Log: ${ctx.log.path ?? 'none'}`]);
}
