import type { Answers } from '../answers/types.js';
import { InputError } from '../system/errors.js';
import { commandLine } from '../system/invocation.js';
import { readLocal, readPeer, type PeerView } from '../../installers/postgresql/live.js';
import { passwordFor } from '../../installers/postgresql/pgpass.js';
import { promoteActions, promoteChecks } from '../../installers/postgresql/promote.js';
import { promoteTitle } from '../prompts/titles.js';
import { applyStep, confirmStep, planStep, refuseFailedChecks, showChecks } from './common-steps.js';
import type { Flow } from './context.js';
import { settle } from './install/settle.js';
import { known, type RecoveryContext } from './recovery/context.js';
import { pairStep } from './recovery/pair-step.js';
import { recordPairState } from './recovery/record.js';

/** Every check before any change: this node is a standby of the pair, the master is not a writable primary. */
async function checkPromote(ctx: RecoveryContext): Promise<void> {
  const { state, ref, peer } = known(ctx);
  if (ctx.options.force && !ctx.options.reason?.trim()) {
    throw new InputError('--force needs a reason: it is recorded in the log and the pair\'s history.', [{ field: '--reason', message: 'is missing', fix: 'add --reason "the master is powered off, ticket 1234"' }]);
  }
  await settle(ctx, ['replayTimeoutSeconds']);
  const user = state.replicationUser;
  const password = passwordFor(peer.address, peer.port, user) ?? '';
  const automatic = ctx.options.automatic;
  [ctx.local, ctx.remote] = await Promise.all([
    readLocal(ref, ctx.log),
    automatic
      ? Promise.resolve<PeerView>({ host: peer.address, port: peer.port, answered: false, failure: 'unreachable', problem: `not seen by the failover monitor: ${automatic}` })
      : readPeer({ host: peer.address, port: peer.port, user, password, timeoutMs: 2000 }),
  ]);
  if (automatic) ctx.log.info(`promote by the failover monitor: ${automatic}`);
  const rows = promoteChecks(ctx.local, ctx.remote, { force: Boolean(ctx.options.force), reason: ctx.options.reason });
  showChecks(ctx, 'Promote preflight', 'promote check', rows);
  if (ctx.options.force) ctx.log.warn(`promote FORCED by ${process.env.SUDO_USER ?? process.env.USER ?? 'root'}: ${ctx.options.reason}`);
  refuseFailedChecks(rows, 'The promote is refused: nothing was changed.', { withRequired: false });
}

async function planPromote(ctx: RecoveryContext) {
  const { state, ref, self, peer } = known(ctx);
  const synchronousNote = state.synchronous ? ['synchronous replication comes back on when restore-master brings the old master back as this node\'s standby'] : [];
  const forced = ctx.options.force && ctx.remote?.answered ? `${ctx.options.reason} (by ${process.env.SUDO_USER ?? process.env.USER ?? 'root'})` : undefined;
  return {
    title: `Promote ${self.address} (${ref.version}/${ref.name}) to primary`,
    actions: promoteActions({
      ref,
      self: self.address,
      peer: peer.address,
      slot: state.slotName,
      replayTimeoutSeconds: (ctx.answers as Answers).replayTimeoutSeconds,
      forced,
      automatic: ctx.options.automatic,
      synchronousStandbyNames: ctx.local?.synchronousStandbyNames ?? '',
    }),
    notes: synchronousNote,
  };
}

/** After the promote: the state, then where clients go now and what to run on the old master. */
async function afterPromote(ctx: RecoveryContext): Promise<void> {
  const { self, peer } = known(ctx);
  await recordPairState(ctx);
  ctx.next.push(
    `This node ${self.address} is the primary now. Point clients at ${self.address}:${self.port}.`,
    `When the old master ${peer.address} is reachable again, bring it back as this node's standby; on ${peer.address} run:`,
    `  ${commandLine(ctx.invocation, ['restore-master', '--master-ip', self.address])}`,
    `Until then an old master started again comes up read-only (its start guard sees this primary).`,
  );
}

/** `ha-install promote`: manual failover, on the slave, when the master is dead. */
export const promoteFlow: Flow<RecoveryContext> = {
  command: 'promote',
  title: promoteTitle,
  needsRoot: true,
  doneTitle: 'Promoted',
  steps: [pairStep, { id: 'checks', title: 'Promote preflight', run: checkPromote }, planStep(planPromote), confirmStep, applyStep('Promote', afterPromote)],
};
