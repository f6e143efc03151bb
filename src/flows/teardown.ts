import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inventory, inventoryPath } from '../engine/inventory.js';
import { InputError } from '../system/errors.js';
import { commandLine } from '../system/invocation.js';
import { version } from '../version.js';
import { readLocal, readPeer } from '../../installers/postgresql/live.js';
import { passwordFor } from '../../installers/postgresql/pgpass.js';
import { querySql } from '../../installers/postgresql/sql.js';
import { teardownActions, type TeardownPath } from '../../installers/postgresql/teardown.js';
import { teardownTitle } from '../prompts/titles.js';
import type { CheckRow } from '../prompts/prompter.js';
import { applyStep, confirmStep, planStep } from './common-steps.js';
import type { Flow, FlowContext } from './context.js';
import { peerOf, readState, stateFile, writeState, type NodeState } from './state.js';
import type { LocalView } from '../../installers/postgresql/live.js';

interface TeardownContext extends FlowContext {
  state?: NodeState;
  local?: LocalView;
  path?: TeardownPath;
  locale?: { encoding: string; collate: string; ctype: string };
}

const intentPath = (ctx: FlowContext) => join(ctx.options.stateDir, 'teardown-in-progress.json');

async function readNode(ctx: TeardownContext): Promise<void> {
  const state = readState(ctx.options.stateDir);
  if (!state || state.pgVersion === undefined || state.pgCluster === undefined) {
    throw new InputError('This node has no PostgreSQL installed by ha-install: nothing to tear down.', [
      { field: stateFile(ctx.options.stateDir), message: state ? `this machine was installed as ${state.installedAs}, without PostgreSQL replication` : 'no node state here', fix: 'point --state-dir at the node\'s state folder' },
    ]);
  }
  ctx.state = state;
}

/** Which way this node goes: a primary (or a stopped master) stays a server with its data; a standby by --keep-data or the default. */
function choosePath(ctx: TeardownContext, local: LocalView): TeardownPath {
  const resumed = existsSync(intentPath(ctx)) ? (JSON.parse(readFileSync(intentPath(ctx), 'utf8')) as { path: TeardownPath }).path : undefined;
  if (resumed) return resumed;
  const standby = local.role === 'standby' || (local.role === 'down' && existsSync(`${local.cluster.dataDir}/standby.signal`));
  return standby ? (ctx.options.keepData ? 'standby-keep' : 'standby-aside') : 'primary';
}

async function checkTeardown(ctx: TeardownContext): Promise<void> {
  const state = ctx.state!;
  const ref = { version: state.pgVersion!, name: state.pgCluster! };
  const entries = Inventory.read(inventoryPath(ctx.options.stateDir))?.entries ?? [];
  const local = await readLocal(ref, ctx.log);
  ctx.local = local;
  const rows: CheckRow[] = [];
  if (state.installedAs === 'standalone' && entries.length === 0 && !existsSync(intentPath(ctx))) {
    rows.push({ name: 'this node', measured: `standalone already (${local.role})`, required: '-', verdict: 'ok', fix: 'nothing to tear down' });
    ctx.ui.checks('Teardown preflight', rows);
    return;
  }
  if (entries.length === 0 && !existsSync(intentPath(ctx))) {
    throw new InputError('This node has no record of what the install created: teardown will not guess. Nothing was changed.', [
      { field: inventoryPath(ctx.options.stateDir), message: 'is missing (the install is older than teardown)', fix: `run the install of this node again (it changes nothing in place and records what it created), then ${commandLine(ctx.invocation, ['teardown'])}` },
    ]);
  }
  if (local.role === 'missing') throw new InputError(`The cluster ${ref.version}/${ref.name} does not exist: nothing to tear down there.`, [{ field: 'postgresql.cluster', message: 'not found', fix: 'check --state-dir' }]);
  ctx.path = choosePath(ctx, local);
  if (local.role !== 'down') {
    const [row] = await querySql(local.cluster, `SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = 'template1'`, ctx.log);
    if (row) ctx.locale = { encoding: row[0]!, collate: row[1]!, ctype: row[2]! };
  }
  const peer = peerOf(state);
  const view = peer && state.replicationUser ? await readPeer({ host: peer.address, port: peer.port, user: state.replicationUser, password: passwordFor(peer.address, peer.port, state.replicationUser) ?? '', timeoutMs: 2000 }) : undefined;
  // With automatic failover the standby's monitor would take this primary's teardown (its
  // replication role dropped, its agent gone) for a death, and promote: the standby goes first.
  const monitored = entries.some((e) => e.item.kind === 'service' && e.item.name.startsWith('ha-install-monitor'));
  if (ctx.path === 'primary' && monitored && view?.answered && view.role === 'standby') {
    throw new InputError(`The standby ${peer!.address} still follows this primary, and its failover monitor would take this teardown for the master's death and promote itself. Nothing was changed.`, [
      { field: 'teardown order', message: 'with automatic failover the standby is torn down first', fix: `on ${peer!.address}: ha-install teardown; then run ${commandLine(ctx.invocation, ['teardown'])} here again` },
    ]);
  }
  const pathText: Record<TeardownPath, string> = {
    primary: 'stays a server with all its data; what the install added for replication goes',
    'standby-keep': '--keep-data: promoted to a standalone server with its data',
    'standby-aside': 'the default for a standby: stopped, its data moved aside (never deleted), an empty server in its place (--keep-data keeps the data instead)',
  };
  rows.push(
    { name: 'this node', measured: `${local.role}${local.timeline ? `, timeline ${local.timeline}` : ''}`, required: 'the cluster exists', verdict: 'ok' },
    { name: 'what happens here', measured: pathText[ctx.path], required: '-', verdict: 'info' },
    { name: 'recorded by the install', measured: `${entries.length} things (${inventoryPath(ctx.options.stateDir)})`, required: 'what teardown removes, and nothing else', verdict: 'info' },
    { name: 'the peer', measured: view ? (view.answered ? `${peer!.address}: ${view.role}` : `${peer!.address}: does not answer (${view.failure})`) : '-', required: 'run teardown there too (with automatic failover, the standby first)', verdict: 'info' },
    {
      name: 'balancer',
      measured: 'untouched: HAProxy follows the health agents, and this node\'s agent goes with the teardown',
      required: 'once both nodes are torn down HAProxy has no primary to send clients to: on the balancer, `ha-install service remove` its HAProxy and witness',
      verdict: 'info',
    },
  );
  ctx.ui.checks('Teardown preflight', rows);
  for (const row of rows) ctx.log.info(`teardown check ${row.name}: ${row.measured}`);
}

async function planTeardown(ctx: TeardownContext) {
  const state = ctx.state!;
  if (!ctx.path || !ctx.local) return { title: 'Teardown: nothing to do', actions: [], notes: ['this node is standalone already'] };
  const entries = Inventory.read(inventoryPath(ctx.options.stateDir))?.entries ?? [];
  const actions = teardownActions({
    cluster: ctx.local.cluster,
    init: ctx.facts.init,
    path: ctx.path,
    self: state.self ?? ctx.facts.hostname,
    user: state.replicationUser ?? 'replicator',
    slot: state.slotName ?? 'ha_slave',
    keepRole: Boolean(ctx.options.keepRole),
    entries,
    intentPath: intentPath(ctx),
    locale: ctx.locale ?? { encoding: 'UTF8', collate: 'C.UTF-8', ctype: 'C.UTF-8' },
  });
  return { title: `Teardown of ${state.self ?? ctx.facts.hostname} (${state.pgVersion}/${state.pgCluster}): back to standalone`, actions, notes: ['the balancer is not touched from here: it finds no primary behind this node once its health agent is gone'] };
}

async function afterTeardown(ctx: TeardownContext): Promise<void> {
  const state = ctx.state!;
  if (!ctx.path) {
    ctx.next.push('Nothing to do: this node is standalone already.');
    return;
  }
  const history = [...state.history, { at: new Date().toISOString(), event: 'teardown', node: state.self ?? '', detail: `standalone (${ctx.path})` }];
  writeState(ctx.options.stateDir, { ...state, buildVersion: version, installedAs: 'standalone', nodes: [], history, updatedAt: new Date().toISOString() });
  const removed = (ctx.plan?.actions ?? []).filter((a) => a.id.startsWith('teardown.') && !/intent|record/.test(a.id)).map((a) => `  - ${a.title}`);
  ctx.log.info(`teardown removed:\n${removed.join('\n')}`);
  ctx.next.push(`This node is a standalone PostgreSQL server now. What was done:`, ...removed, `Check it with: ${commandLine(ctx.invocation, ['status'])}`);
}

/** `ha-install teardown` (AMM's "Teardown HA service"): this node back to standalone, from the install's own record. */
export const teardownFlow: Flow<TeardownContext> = {
  command: 'teardown',
  title: teardownTitle,
  needsRoot: true,
  doneTitle: 'Torn down',
  steps: [{ id: 'node', title: 'This node', run: readNode }, { id: 'checks', title: 'Teardown preflight', run: checkTeardown }, planStep(planTeardown), confirmStep, applyStep('Teardown', afterTeardown)],
};
