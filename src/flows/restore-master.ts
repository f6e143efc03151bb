import { join } from 'node:path';
import { applyDefaults, resolveAnswer } from '../answers/resolve.js';
import type { Answers } from '../answers/types.js';
import { resolveAddress } from '../system/address.js';
import { InputError } from '../system/errors.js';
import { onThisNode } from './printed.js';
import { describeCluster } from '../../installers/postgresql/cluster.js';
import type { PostgresqlContext } from '../../installers/postgresql/context.js';
import { restorePreflight, type RestoreFacts } from '../../installers/postgresql/restore-preflight.js';
import { restoreActions } from '../../installers/postgresql/restore.js';
import { restoreTitle } from '../prompts/titles.js';
import { applyStep, confirmStep, planStep, refuseFailedChecks, showChecks } from './common-steps.js';
import type { Flow } from './context.js';
import { known, type RecoveryContext } from './recovery/context.js';
import { pairStep } from './recovery/pair-step.js';
import { recordPairState } from './recovery/record.js';

interface RestoreContext extends RecoveryContext {
  pg?: PostgresqlContext;
  restore?: RestoreFacts;
}

const rewindMarker = (ctx: RestoreContext) => join(ctx.options.stateDir, 'rewind-in-progress');

/** The new master's address, as in the install (--master-ip); it must be this node's peer, not this node. */
async function askNewMaster(ctx: RestoreContext): Promise<void> {
  const { state, self, peer } = known(ctx);
  const given = await resolveAnswer('masterIp', ctx.sources, { masterIp: peer.address }, { message: 'Address of the new master (the node that was promoted)' });
  const address = given === undefined ? undefined : await resolveAddress(given);
  const problem =
    given === undefined
      ? { message: 'is required', fix: `pass --master-ip ${peer.address} (this node's peer) or set master-ip in the answers file` }
      : address === undefined
        ? { message: `host name "${given}" does not resolve`, fix: 'use the IP address, or add the name to DNS or /etc/hosts' }
        : address === self.address
          ? { message: `${address} is this node itself`, fix: `give the address of the node that was promoted: ${peer.address}` }
          : address !== peer.address
            ? { message: `${address} is not the other node of this pair (${state.nodes.map((n) => n.address).join(' and ')})`, fix: `the new master is ${peer.address}; to pair this node with another server, install it as that server's slave` }
            : undefined;
  if (problem) throw new InputError('master-ip cannot be used: nothing was changed.', [{ field: 'master-ip', ...problem }]);
  ctx.answers.masterIp = address!;
  ctx.log.info(`restore-master: the new master is ${address}`);
}

async function askPassword(ctx: RestoreContext): Promise<void> {
  const secret = await resolveAnswer('backupPassword', ctx.sources, ctx.answers, { message: 'Backup (replication) password of the pair', validate: () => undefined });
  if (secret === undefined) {
    throw new InputError('The backup password is missing.', [{ field: 'postgresql.backup-password', message: 'is required for restore-master', fix: 'set postgresql.backup-password: env:NAME or file:PATH in the answers file' }]);
  }
  ctx.answers.backupPassword = secret;
  ctx.secrets.backupPassword = secret.value;
  ctx.log.redact(secret.value);
}

/** The installers see this node as what it becomes: the slave of the new master. */
function installerContext(ctx: RestoreContext): PostgresqlContext {
  const { state, self } = known(ctx);
  const answers: Answers = {
    ...(applyDefaults({}) as Answers),
    mode: 'slave',
    masterIp: ctx.answers.masterIp!,
    slaveIp: self.address,
    pgVersion: state.pgVersion,
    pgCluster: state.pgCluster,
    pgPort: self.port,
    pgSocketDir: state.pgSocketDir,
    replicationUser: state.replicationUser,
    slotName: state.slotName,
    synchronous: state.synchronous === true,
    backupPassword: ctx.answers.backupPassword,
  };
  return { answers, facts: ctx.facts, log: ctx.log, stateDir: ctx.options.stateDir };
}

async function checkRestore(ctx: RestoreContext): Promise<void> {
  ctx.pg = installerContext(ctx);
  const { rows, facts } = await restorePreflight({ pg: ctx.pg, rewindMarker: rewindMarker(ctx), forceClone: Boolean(ctx.options.clone) });
  ctx.restore = facts;
  showChecks(ctx, 'Restore preflight', 'restore check', rows);
  refuseFailedChecks(rows, 'restore-master is refused: nothing was changed.');
}

async function planRestore(ctx: RestoreContext) {
  const { self, ref } = known(ctx);
  const pg = ctx.pg!;
  const facts = ctx.restore!;
  const cluster = await describeCluster(ref, ctx.log);
  const actions = await restoreActions({ pg, cluster, facts, rewindMarker: rewindMarker(ctx), synchronous: pg.answers.synchronous });
  const notes =
    facts.outcome === 'nothing to do'
      ? [`this node already streams from ${pg.answers.masterIp}: nothing to do`]
      : facts.outcome === 'clear the fence'
        ? [`this node already streams from ${pg.answers.masterIp}: only its fence mark is cleared`]
        : [facts.rewind.possible ? 'pg_rewind first; a full clone only if the rewind fails' : `a full clone: ${facts.rewind.why}`];
  return { title: `Restore ${self.address} as the standby of ${pg.answers.masterIp}`, actions, notes };
}

async function afterRestore(ctx: RestoreContext): Promise<void> {
  await recordPairState(ctx);
  const master = ctx.answers.masterIp;
  ctx.next.push(
    ctx.restore?.outcome === 'nothing to do' ? `Nothing to do: this node already streams from ${master}.` : `This node is the standby of ${master} now, streaming.`,
    `Check the pair with: ${onThisNode(ctx, ['status'])}`,
  );
}

/** `ha-install restore-master` (the seed's restore_master): on the old master, back as the new standby. */
export const restoreFlow: Flow<RestoreContext> = {
  command: 'restore-master',
  title: restoreTitle,
  needsRoot: true,
  doneTitle: 'Restored',
  steps: [
    pairStep,
    { id: 'master-ip', title: 'New master IP', run: askNewMaster },
    { id: 'password', title: 'Backup password', run: askPassword },
    { id: 'checks', title: 'Restore preflight', run: checkRestore },
    planStep(planRestore),
    confirmStep,
    applyStep('Restore', afterRestore),
  ],
};
