import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answers } from '../answers/types.js';

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

export function readState(stateDir: string): NodeState | undefined {
  const path = stateFile(stateDir);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as NodeState;
}

export function writeState(stateDir: string, state: NodeState): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const path = stateFile(stateDir);
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}
