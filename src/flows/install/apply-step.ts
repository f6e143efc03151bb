import { join } from 'node:path';
import type { Answers } from '../../answers/types.js';
import { BackupStore } from '../../engine/backups.js';
import { Journal } from '../../engine/journal.js';
import { applyPlan } from '../../engine/runner.js';
import { BugError } from '../../system/errors.js';
import { version } from '../../version.js';
import { writeState } from '../state.js';
import type { InstallContext } from '../context.js';

/** Applies the confirmed plan: backups first, a journal for resuming, progress to the front end. */
export async function applyInstall(ctx: InstallContext): Promise<void> {
  if (!ctx.plan) throw new BugError('apply called before the plan was built');
  const backups = new BackupStore(join(ctx.options.stateDir, 'backups', ctx.stamp));
  const journal = new Journal(join(ctx.options.stateDir, 'journal.json'), ctx.plan);
  if (journal.resumed) ctx.ui.message('info', 'An earlier run of this plan was interrupted: resuming where it stopped.');
  await applyPlan(ctx.plan, {
    log: ctx.log,
    backups,
    journal,
    stamp: ctx.stamp,
    secrets: ctx.answers.backupPassword ? { backupPassword: ctx.answers.backupPassword.value } : {},
    onEvent: (event) => ctx.ui.progress(event),
  });
  const a = ctx.answers as Answers;
  writeState(ctx.options.stateDir, {
    version,
    mode: a.mode,
    masterIp: a.masterIp,
    slaveIp: a.slaveIp,
    pgVersion: a.pgVersion,
    pgCluster: a.pgCluster,
    pgPort: a.pgPort,
    pgSocketDir: a.pgSocketDir,
    replicationUser: a.replicationUser,
    slotName: a.slotName,
    installedAt: new Date().toISOString(),
  });
  if (backups.files.length > 0) ctx.notes.push(`backups of changed files: ${backups.directory}`);
}

/** Next steps, as the admin needs them after each mode. */
export function nextSteps(answers: Partial<Answers>, dryRun: boolean): string[] {
  if (dryRun) return ['This was a dry run: nothing was changed. Run again without --dry-run to apply the plan.'];
  switch (answers.mode) {
    case 'master':
      return [`Now run ha-install on the slave ${answers.slaveIp} and choose 3 (HA slave).`, 'Then check the pair with: sudo ha-install status'];
    case 'slave':
      return [`This server replicates from the master ${answers.masterIp}.`, 'Check the pair with: sudo ha-install status'];
    case 'load-balancer':
      return ['HAProxy is installed. Its configuration for the pair comes with a later version of ha-install.'];
    default:
      return ['The standalone server is ready.'];
  }
}
