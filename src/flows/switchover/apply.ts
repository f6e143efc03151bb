import { keepHold } from '../../../installers/monitor/hold.js';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Plan } from '../../engine/actions.js';
import { ApplyError, BugError, CancelledError } from '../../system/errors.js';
import { commandLine } from '../../system/invocation.js';
import { version } from '../../version.js';
import { serviceAction } from '../../../installers/postgresql/cluster.js';
import { readLocal } from '../../../installers/postgresql/live.js';
import { applyWithJournal, journalPath } from '../common-steps.js';
import type { Step } from '../context.js';
import { known } from '../recovery/context.js';
import { recordPairState } from '../recovery/record.js';
import { readState, writeState } from '../state.js';
import type { SwitchoverContext } from './context.js';
import { closeAttempt, promoteBegan } from './intent.js';
import { announceSwitch } from './switch-event.js';

/**
 * A run on the master that fails before the promote was sent (the standby stopped answering,
 * its replay never reached the checkpoint) is undone: standby.signal goes (backed up) and this
 * node starts again as the primary it was; the standby was never promoted, so there is one
 * primary again and no write was taken anywhere in between. From the promote on, an undo
 * could make two primaries: the run stops and a re-run finishes the switch.
 */
async function undo(ctx: SwitchoverContext, cause: unknown): Promise<never> {
  const { ref, peer } = known(ctx);
  const dataDir = (await readLocal(ref, ctx.log)).cluster.dataDir;
  const plan: Plan = {
    title: 'Undo the switchover: this node stays the primary',
    notes: [],
    actions: [
      { kind: 'remove', id: 'switchover.undo-standby-signal', title: `Remove ${dataDir}/standby.signal again`, path: `${dataDir}/standby.signal` },
      serviceAction(ref, 'start', ctx.facts.init, 'Start this node again as the primary', 'switchover.undo-start'),
    ],
  };
  ctx.ui.message('warn', `The switchover stopped before ${peer.address} was promoted: undoing it.`);
  await applyWithJournal(ctx, plan, journalPath(ctx, '-undo'));
  closeAttempt(ctx.options.stateDir, journalPath(ctx), ctx.stamp);
  const why = cause instanceof Error ? cause.message : String(cause);
  throw new ApplyError(`The switchover was undone: ${why.replace(/\.$/, '')}. This node is the primary again and ${peer.address} its standby; no write was lost.`, {
    cause,
    nextSteps: [`Mend what stopped it (see the log), then run ${commandLine(ctx.invocation, ['switchover'])} again.`],
  });
}

/** The other node's state folder, when it is on this machine (the demo pair): its history is refreshed too. */
function refreshPeerState(ctx: SwitchoverContext, history: NonNullable<ReturnType<typeof readState>>['history']): void {
  const { peer } = known(ctx);
  const dir = join(dirname(ctx.options.stateDir), peer.address);
  const other = existsSync(join(dir, 'state.json')) ? readState(dir) : undefined;
  if (other?.self !== peer.address) return;
  writeState(dir, { ...other, buildVersion: version, history, updatedAt: new Date().toISOString() });
}

async function afterSwitch(ctx: SwitchoverContext): Promise<void> {
  const { self, peer, ref } = known(ctx);
  await recordPairState(ctx);
  const history = readState(ctx.options.stateDir)?.history ?? [];
  refreshPeerState(ctx, history);
  const [active, standby] = ctx.runOn === 'master' ? [peer.address, self.address] : [self.address, peer.address];
  await announceSwitch({ active, standby, log: ctx.log, stateDir: ctx.options.stateDir, cluster: ref });
  ctx.next.push(
    `${active} is the primary now, ${standby} its standby, streaming. Point clients at ${active}:${self.port}.`,
    `Check the pair with: ${commandLine(ctx.invocation, ['status'])}`,
  );
}

export const switchoverApplyStep: Step<SwitchoverContext> = {
  id: 'apply',
  title: 'Switchover',
  changes: true,
  run: async (ctx) => {
    if (!ctx.plan) throw new BugError('apply called before the plan was built');
    // The monitors must not take the stop, or the moment of two standbys, for a death: held
    // while this run works (a resumed run too), released when it is done, undone or failed.
    const release = keepHold(known(ctx).ref, `switchover run on ${known(ctx).self.address}`);
    try {
      await applyWithJournal(ctx, ctx.plan, journalPath(ctx));
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      if (ctx.runOn === 'master' && !promoteBegan(journalPath(ctx))) await undo(ctx, error);
      const { peer } = known(ctx);
      throw new ApplyError(`${error instanceof Error ? error.message.replace(/\.$/, '') : String(error)}. The switchover is not finished, and is not undone (${promoteBegan(journalPath(ctx)) ? 'the promote began: undoing it could make two primaries' : `this node cannot make ${peer.address} a primary again`}).`, {
        cause: error,
        nextSteps: [`Once ${peer.address} answers again, run ${commandLine(ctx.invocation, ['switchover'])} on this node: it resumes where this run stopped.`, `Meanwhile: ${commandLine(ctx.invocation, ['status'])}`],
      });
    } finally {
      release();
    }
    await afterSwitch(ctx);
  },
};
