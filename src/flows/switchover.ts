import { applyDefaults, resolveAnswer } from '../answers/resolve.js';
import type { Answers } from '../answers/types.js';
import { InputError } from '../system/errors.js';
import { describeCluster } from '../../installers/postgresql/cluster.js';
import type { PostgresqlContext } from '../../installers/postgresql/context.js';
import { passwordFor } from '../../installers/postgresql/pgpass.js';
import { readSwitchoverFacts, switchoverChecks } from '../../installers/postgresql/switchover-checks.js';
import { switchoverActions } from '../../installers/postgresql/switchover.js';
import { switchoverTitle } from '../prompts/titles.js';
import { confirmStep, planStep, refuseFailedChecks, showChecks } from './common-steps.js';
import type { Flow } from './context.js';
import { settle } from './install/settle.js';
import { known } from './recovery/context.js';
import { pairStep } from './recovery/pair-step.js';
import { switchoverApplyStep } from './switchover/apply.js';
import type { SwitchoverContext } from './switchover/context.js';
import { demoteRecordPath, intentPath, readIntent } from './switchover/intent.js';

/** The replication password the install stored in .pgpass; asked only when it is not there. */
async function findPassword(ctx: SwitchoverContext): Promise<void> {
  const { state, peer } = known(ctx);
  const stored = passwordFor(peer.address, peer.port, state.replicationUser);
  const secret = stored === undefined ? await resolveAnswer('backupPassword', ctx.sources, ctx.answers, { message: 'Backup (replication) password of the pair', validate: () => undefined }) : { source: 'file' as const, value: stored };
  if (!secret?.value) {
    throw new InputError('The backup password is neither in the postgres user\'s .pgpass nor given.', [{ field: 'postgresql.backup-password', message: 'is required for switchover', fix: 'set postgresql.backup-password: env:NAME or file:PATH in an answers file, or run the install of this node again' }]);
  }
  ctx.password = secret.value;
  ctx.secrets.backupPassword = secret.value;
  ctx.log.redact(secret.value);
}

const login = (ctx: SwitchoverContext) => {
  const { state, peer } = known(ctx);
  return { host: peer.address, port: peer.port, user: state.replicationUser, password: ctx.password ?? '', timeoutMs: 3000 };
};

/** Every check before any change, or, when an earlier run left its note, the switchover it resumes. */
async function checkSwitchover(ctx: SwitchoverContext): Promise<void> {
  const { state, ref, self, peer } = known(ctx);
  await settle(ctx, ['replayTimeoutSeconds', 'maxLagMb']);
  await findPassword(ctx);
  ctx.intent = readIntent(ctx.options.stateDir);
  if (ctx.intent) {
    ctx.runOn = ctx.intent.master === self.address ? 'master' : 'standby';
    ctx.ui.checks('Switchover preflight', [{ name: 'an earlier run', measured: `began the switchover from ${ctx.intent.master} to ${ctx.intent.standby} and did not finish`, required: '-', verdict: 'warn', fix: 'this run resumes it where it stopped' }]);
    ctx.log.warn(`switchover: resuming the switchover from ${ctx.intent.master} to ${ctx.intent.standby}`);
    return;
  }
  ctx.switchFacts = await readSwitchoverFacts(ref, login(ctx), ctx.log);
  const answers = ctx.answers as Answers;
  const rows = switchoverChecks(ctx.switchFacts, { self: self.address, peer: peer.address, port: peer.port, maxLagMb: answers.maxLagMb, pgCtl: `pg_ctlcluster ${state.pgVersion} ${state.pgCluster}` });
  showChecks(ctx, 'Switchover preflight', 'switchover check', rows);
  refuseFailedChecks(rows, 'The switchover is refused: nothing was changed.', { withRequired: false });
  ctx.runOn = ctx.switchFacts.runOn;
}

/** The new standby's installer context: it streams from the node that becomes the primary. */
function newStandbyContext(ctx: SwitchoverContext, newPrimary: string, newStandby: string): PostgresqlContext {
  const { state, self } = known(ctx);
  const answers: Answers = {
    ...(applyDefaults({}) as Answers),
    mode: 'slave',
    masterIp: newPrimary,
    slaveIp: newStandby,
    pgVersion: state.pgVersion,
    pgCluster: state.pgCluster,
    pgPort: self.port,
    replicationUser: state.replicationUser,
    slotName: state.slotName,
    backupPassword: { source: 'file', value: ctx.password ?? '' },
  };
  return { answers, facts: ctx.facts, log: ctx.log, stateDir: ctx.options.stateDir };
}

async function planSwitchover(ctx: SwitchoverContext) {
  const { state, ref, self, peer } = known(ctx);
  const runOn = ctx.runOn!;
  const [master, standby] = runOn === 'master' ? [self.address, peer.address] : [peer.address, self.address];
  const cluster = await describeCluster(ref, ctx.log);
  const actions = switchoverActions({
    ref,
    init: ctx.facts.init,
    dataDir: cluster.dataDir,
    self: self.address,
    peer: peer.address,
    port: peer.port,
    user: state.replicationUser,
    slot: state.slotName,
    synchronous: state.synchronous === true,
    runOn,
    timeoutSeconds: (ctx.answers as Answers).replayTimeoutSeconds,
    intentPath: intentPath(ctx.options.stateDir),
    demoteRecordPath: demoteRecordPath(ctx.options.stateDir),
    pg: newStandbyContext(ctx, standby, master),
    login: login(ctx),
  });
  const notes = [`${master} is the master now, ${standby} the standby; actions "on ${peer.address}" run there as ${state.replicationUser} over the network, the rest on this node`];
  return { title: `Switch over: ${standby} becomes the primary, ${master} its standby`, actions, notes };
}

/** `ha-install switchover` (AMM's "Swap HA roles"): a planned swap of the roles, on either node, losing nothing. */
export const switchoverFlow: Flow<SwitchoverContext> = {
  command: 'switchover',
  title: switchoverTitle,
  needsRoot: true,
  doneTitle: 'Switched over',
  steps: [pairStep, { id: 'checks', title: 'Switchover preflight', run: checkSwitchover }, planStep(planSwitchover), confirmStep, switchoverApplyStep],
};
