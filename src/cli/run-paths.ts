import { InputError, type Problem } from '../system/errors.js';
import { checkDirectory, checkFileTarget } from '../system/user-paths.js';

/**
 * The folders and files a run was told to use, checked before any work: a state folder that is
 * a file, a log folder under /proc or a --save-answers file that exists each stop the run here
 * (exit 2), not after every question has been answered.
 */
export interface RunPaths {
  stateDir: string;
  logDir?: string;
  saveAnswers?: string;
  force?: boolean;
  /** A dry run writes no state: the state folder need only be a folder. */
  dryRun: boolean;
}

/** Throws the refusals; returns why there will be no log, when this user may not write one. */
export function checkRunPaths(paths: RunPaths): { noLog?: string } {
  const problems: Problem[] = [];
  const state = checkDirectory(paths.stateDir, { flag: '--state-dir', write: !paths.dryRun });
  if (state.problem) problems.push(state.problem);
  let noLog: string | undefined;
  if (paths.logDir !== undefined) {
    const log = checkDirectory(paths.logDir, { flag: '--log-dir', write: true });
    // Not root: a dry run may go on without a log (README), anything else about the folder is refused.
    if (log.problem && log.deniedOnly && paths.dryRun && process.getuid?.() !== 0) noLog = log.problem.message;
    else if (log.problem) problems.push(log.problem);
  }
  if (paths.saveAnswers !== undefined) {
    const target = checkFileTarget(paths.saveAnswers, { flag: '--save-answers', force: Boolean(paths.force) });
    if (target) problems.push(target);
  }
  if (problems.length > 0) throw new InputError(`${problems.length === 1 ? 'A folder or file given' : 'Folders or files given'} on the command line cannot be used: nothing was changed.`, problems);
  return { noLog };
}
