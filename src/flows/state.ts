import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answers } from '../answers/types.js';
import { InputError } from '../system/errors.js';
import { readRegularFile } from '../system/safe-read.js';
import { printable } from '../system/text-checks.js';
import { ensureDirectory } from '../system/user-paths.js';

/** What an install leaves for `status` and later flows: the node's role and its pair, no secrets. */
export interface NodeState {
  version: string;
  mode: Answers['mode'];
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

export const stateFile = (stateDir: string) => join(stateDir, 'state.json');

/** A node's state is a few hundred bytes of JSON. */
const STATE_MAX_BYTES = 64 * 1024;

export function readState(stateDir: string): NodeState | undefined {
  const path = stateFile(stateDir);
  if (!existsSync(path)) return undefined;
  const read = readRegularFile(path, STATE_MAX_BYTES);
  const fix = 'restore it from a backup, or run the install of this node again (it rewrites the file); --state-dir picks another folder';
  if (!read.ok) throw new InputError(`The node state ${path} cannot be used.`, [{ field: path, message: read.detail, fix }]);
  let state: unknown;
  try {
    state = JSON.parse(read.text);
  } catch (error) {
    throw new InputError(`The node state ${path} is damaged.`, [{ field: path, message: `is not valid JSON (${printable((error as Error).message, 80)})`, fix }]);
  }
  const mode = (state as Partial<NodeState> | null)?.mode;
  if (typeof state !== 'object' || state === null || typeof mode !== 'string') {
    throw new InputError(`The node state ${path} is damaged.`, [{ field: path, message: 'does not describe a node (no mode)', fix }]);
  }
  return state as NodeState;
}

export function writeState(stateDir: string, state: NodeState): void {
  ensureDirectory(stateDir);
  const path = stateFile(stateDir);
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}
