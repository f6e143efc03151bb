import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../engine/journal.js';
import { PROMOTE_ID } from '../../../installers/postgresql/switchover.js';

/**
 * A switchover leaves a note in the state folder while it runs (written by its first action,
 * removed by its last): who was the master and who the standby when it began. A run that finds
 * the note resumes that switchover, building the same plan from it, whatever the roles are now.
 */
export interface SwitchIntent {
  master: string;
  standby: string;
  runOn: string;
}

export const intentPath = (stateDir: string) => join(stateDir, 'switchover-in-progress.json');
export const demoteRecordPath = (stateDir: string) => join(stateDir, 'switchover-demote.json');

export function readIntent(stateDir: string): SwitchIntent | undefined {
  const path = intentPath(stateDir);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SwitchIntent) : undefined;
}

/** Whether the interrupted or failed run had begun the promote: from then on an undo could make two primaries. */
export function promoteBegan(journal: string): boolean {
  const record = Journal.read(journal);
  return Boolean(record?.began?.includes(PROMOTE_ID) || record?.done.includes(PROMOTE_ID));
}

/** After an undo the attempt is over: its journal is kept under another name, and the next run starts afresh. */
export function closeAttempt(stateDir: string, journal: string, stamp: string): void {
  if (existsSync(journal)) renameSync(journal, journal.replace(/\.json$/, `.undone-${stamp}.json`));
  rmSync(intentPath(stateDir), { force: true });
  rmSync(demoteRecordPath(stateDir), { force: true });
}
