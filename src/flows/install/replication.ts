import { passwordStrength, resolveAnswer } from '../../answers/resolve.js';
import { refuseFailedChecks, showChecks } from '../common-steps.js';
import type { Answers } from '../../answers/types.js';
import { settle } from './settle.js';
import { packageManager } from '../../../installers/packages/index.js';
import { candidatePostgresqlMajor } from '../../../installers/packages/manager.js';
import { InputError } from '../../system/errors.js';
import { postgresqlPreflight } from '../../../installers/postgresql/index.js';
import type { InstallContext } from '../context.js';

/**
 * The replication questions: the backup password (masked, twice on the master) and, on the
 * master, synchronous replication with its trade-off spelled out in the question.
 */
export async function askReplication(ctx: InstallContext): Promise<void> {
  const a = ctx.answers;
  await settle(ctx, ['pgVersion', 'pgCluster', 'pgSocketDir', 'replicationUser', 'slotName', 'masterWaitSeconds']);
  a.pgVersion ??= ctx.facts.postgresqlVersions.at(-1); // the newest installed, as the installer picks it
  if (a.pgVersion === undefined) {
    // Nothing installed yet: plan for the major the package step will install.
    const manager = packageManager(ctx.facts);
    a.pgVersion = manager ? await candidatePostgresqlMajor(manager, ctx.log) : undefined;
    if (a.pgVersion !== undefined) ctx.log.info(`PostgreSQL is not installed yet; the packages provide major ${a.pgVersion}`);
  }
  const secret = await resolveAnswer('backupPassword', ctx.sources, a, {
    message: a.mode === 'master' ? 'Choose the backup (replication) password' : 'Backup (replication) password of the master',
    // The slave types the master's existing password: the strength policy is the master's to enforce.
    ...(a.mode === 'slave' ? { validate: () => undefined } : {}),
  });
  if (secret === undefined) {
    throw new InputError('The backup password is missing.', [
      { field: 'postgresql.backup-password', message: 'is required for mode ' + a.mode, fix: 'set postgresql.backup-password: env:NAME or file:PATH in the answers file' },
    ]);
  }
  if (a.mode === 'master') {
    const weak = passwordStrength(secret.value);
    if (weak) throw new InputError('The backup password is too weak.', [{ field: 'postgresql.backup-password', message: weak, fix: 'choose a longer password mixing letters, digits and symbols' }]);
  }
  a.backupPassword = secret;
  ctx.secrets.backupPassword = secret.value;
  ctx.log.redact(secret.value);
  if (a.mode === 'master') {
    a.synchronous = await resolveAnswer('synchronous', ctx.sources, a, {
      // The trade-off first and the question last, so (y/N) follows the question it answers.
      message: 'Synchronous replication: no commit is lost on failover, but every write waits for the slave. Use it?',
    });
  } else {
    await settle(ctx, ['synchronous']);
  }
}

/** Checks on the PostgreSQL side that must pass before anything changes (the slave proves the master). */
export async function preflightReplication(ctx: InstallContext): Promise<void> {
  const a = ctx.answers as Answers;
  const title = `Waiting for the master ${a.masterIp}:${a.pgPort} to be ready`;
  let waiting = false;
  const { rows, cluster } = await postgresqlPreflight({
    answers: a,
    facts: ctx.facts,
    log: ctx.log,
    // A visible countdown instead of Motadata's "wait five minutes after installing the master".
    onWait: (secondsLeft: number) => {
      if (!waiting) ctx.ui.progress({ type: 'start', id: 'wait-master', title, index: 1, total: 1 });
      waiting = true;
      const percent = a.masterWaitSeconds > 0 ? Math.round((100 * (a.masterWaitSeconds - secondsLeft)) / a.masterWaitSeconds) : 100;
      ctx.ui.progress({ type: 'progress', id: 'wait-master', percent, detail: `${secondsLeft} s left` });
    },
  });
  ctx.pgCluster = cluster;
  if (waiting) ctx.ui.progress({ type: 'done', id: 'wait-master', title, note: rows[0]?.measured });
  showChecks(ctx, 'Replication preflight', 'preflight', rows);
  refuseFailedChecks(rows, 'The replication preflight failed: nothing was changed.');
}
