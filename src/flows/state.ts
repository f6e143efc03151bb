import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mode } from '../answers/types.js';
import type { ServiceRef } from '../engine/actions.js';
import { InputError } from '../system/errors.js';
import { readRegularFile } from '../system/safe-read.js';
import { printable } from '../system/text-checks.js';
import { ensureDirectory } from '../system/user-paths.js';

/** A node's state is a few hundred bytes of JSON. */
const STATE_MAX_BYTES = 64 * 1024;

/**
 * What ha-install keeps about the pair on each node, no secrets: both addresses and ports, the
 * cluster, the replication role and slot, the pair's system identifier and the history of role
 * changes. It describes the pair, not a role: who is primary now is read live from PostgreSQL
 * (installers/postgresql/live.ts), never from here. `self` says which of the two nodes this
 * state folder belongs to (on the demo machine both addresses are local).
 */
export interface PairNode {
  address: string;
  port: number;
}

/** One role change, as the flows record it in ha_install.events (replicated, so both nodes hold it). */
export interface RoleChange {
  at: string;
  event: string;
  node: string;
  detail: string;
}

export interface NodeState {
  format: 2;
  /** The ha-install build that last wrote it. */
  buildVersion: string;
  /** What the install on this machine set up, in the seed's words. */
  installedAs: Mode;
  /** This node's address. */
  self?: string;
  /** The pair, master (as installed) first. */
  nodes: PairNode[];
  /** This node's cluster. */
  pgVersion?: number;
  pgCluster?: string;
  pgSocketDir?: string;
  replicationUser?: string;
  slotName?: string;
  synchronous?: boolean;
  systemIdentifier?: string;
  history: RoleChange[];
  updatedAt: string;
  /** ha-install's services on this node (the agent) and the unit that runs HAProxy, for `status`. */
  services?: Array<Exclude<ServiceRef, { kind: 'postgresql' }>>;
  /** Mode 4: where HAProxy listens for clients and where `status` reads its servers' states. */
  balancer?: { address: string; port: number; statsPort: number; config: string; statsSocket: string };
}

export const stateFile = (stateDir: string) => join(stateDir, 'state.json');

/** The state of version 0.1 (one install, a fixed role), read as the pair it describes. */
interface LegacyState {
  version: string;
  mode: Mode;
  masterIp?: string;
  slaveIp?: string;
  pgVersion?: number;
  pgCluster?: string;
  pgPort?: number;
  pgSocketDir?: string;
  replicationUser?: string;
  slotName?: string;
  installedAt: string;
}

function fromLegacy(old: LegacyState): NodeState {
  const port = old.pgPort ?? 5432;
  const nodes = [old.masterIp, old.slaveIp].filter((a): a is string => a !== undefined).map((address) => ({ address, port }));
  return {
    format: 2,
    buildVersion: old.version,
    installedAs: old.mode,
    self: old.mode === 'slave' ? old.slaveIp : old.mode === 'master' ? old.masterIp : undefined,
    nodes,
    pgVersion: old.pgVersion,
    pgCluster: old.pgCluster,
    pgSocketDir: old.pgSocketDir,
    replicationUser: old.replicationUser,
    slotName: old.slotName,
    history: [{ at: old.installedAt, event: 'installed', node: old.mode === 'slave' ? (old.slaveIp ?? '') : (old.masterIp ?? ''), detail: old.mode }],
    updatedAt: old.installedAt,
  };
}

export function readState(stateDir: string): NodeState | undefined {
  const path = stateFile(stateDir);
  if (!existsSync(path)) return undefined;
  const read = readRegularFile(path, STATE_MAX_BYTES);
  const fix = `restore it from a backup under ${join(stateDir, 'backups')}, or move it aside and run the install of this node again (it changes nothing that is in place); --state-dir picks another folder`;
  if (!read.ok) throw new InputError(`The node state ${path} cannot be used.`, [{ field: path, message: read.detail, fix }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch (error) {
    throw new InputError(`The node state ${path} is damaged.`, [{ field: path, message: `is not valid JSON (${printable((error as Error).message, 80)})`, fix }]);
  }
  const state = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Partial<NodeState> & Partial<LegacyState>;
  if (state.format === 2 && Array.isArray(state.nodes)) return state as NodeState;
  if (typeof state.mode === 'string') return fromLegacy(state as LegacyState);
  throw new InputError(`The node state ${path} is damaged.`, [{ field: path, message: 'does not describe a node (neither a format nor a mode)', fix }]);
}

export function writeState(stateDir: string, state: NodeState): void {
  ensureDirectory(stateDir);
  const path = stateFile(stateDir);
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

/** The other node of the pair, seen from this one. */
export function peerOf(state: NodeState): PairNode | undefined {
  return state.nodes.find((node) => node.address !== state.self);
}

export function selfOf(state: NodeState): PairNode | undefined {
  return state.nodes.find((node) => node.address === state.self);
}

/** A node of a replicating pair: everything the recovery flows need is known. */
export type PairState = NodeState & Required<Pick<NodeState, 'self' | 'pgVersion' | 'pgCluster' | 'replicationUser' | 'slotName'>>;

/** Whether the state describes half of a replicating pair (the flows that change roles need one). */
export function isPairNode(state: NodeState | undefined): state is PairState {
  return state !== undefined && (state.installedAs === 'master' || state.installedAs === 'slave') && state.self !== undefined && state.nodes.length === 2;
}
