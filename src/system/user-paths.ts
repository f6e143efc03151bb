import { accessSync, constants, lstatSync, mkdirSync, statfsSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Problem } from './errors.js';
import { fileKind } from './safe-read.js';
import { pathTextProblem } from './text-checks.js';

/**
 * Up-front checks of the folders and files a user names (--state-dir, --log-dir,
 * --save-answers, `answers init FILE`), run before any work starts: a refusal then costs
 * nothing and names the flag. Every walk up a path is bounded by the number of its parts.
 */

/** Filesystems that hold no files of ours: /proc, /sys and their kin (statfs f_type). */
const pseudoFilesystems: Record<number, string> = {
  0x9fa0: 'procfs (/proc)',
  0x62656572: 'sysfs (/sys)',
  0x1cd1: 'devpts',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
  0x64626720: 'debugfs',
  0x74726163: 'tracefs',
  0x73636673: 'securityfs',
  0xcafe4a11: 'bpf',
};

interface Walk {
  absolute: string;
  /** The path itself, or the nearest ancestor that exists. */
  existing: string;
  stats: Stats;
  /** Names to create below `existing`, outermost first. */
  missing: string[];
}

function walkUp(path: string): Walk | { problem: string } {
  const absolute = resolve(path);
  const missing: string[] = [];
  let current = absolute;
  for (let i = 0; i <= absolute.split('/').length; i++) {
    try {
      const stats = statSync(current);
      if (missing.length > 0 && !stats.isDirectory()) return { problem: `cannot be created: ${current} is ${fileKind(stats)}, not a folder` };
      return { absolute, existing: current, stats, missing };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') return { problem: `cannot be created: a part of it is a file, not a folder` };
      if (code === 'EACCES') return { problem: `cannot be looked at: permission denied on ${dirname(current)}` };
      if (code === 'ELOOP') return { problem: 'goes through a loop of symbolic links' };
      if (code !== 'ENOENT') return { problem: `cannot be looked at (${code ?? String(error)})` };
      missing.unshift(basename(current));
      current = dirname(current);
    }
  }
  return { problem: 'has no existing folder above it' };
}

function filesystemProblem(path: string): string | undefined {
  const name = pseudoFilesystems[statfsSync(path).type];
  return name ? `is on ${name}, which holds no files` : undefined;
}

function writeProblem(path: string): { message: string; denied: boolean } | undefined {
  try {
    accessSync(path, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return { message: `${path} is on a read-only filesystem`, denied: false };
    return { message: `${path} cannot be written by this user`, denied: true };
  }
}

export interface DirectoryCheck {
  problem?: Problem;
  /** The only problem is that this user may not write there (a dry run as not root goes on). */
  deniedOnly?: boolean;
}

/** A folder ha-install will create or write into. */
export function checkDirectory(path: string, options: { flag: string; write: boolean }): DirectoryCheck {
  const field = options.flag;
  const fix = `give ${options.flag} a folder (it is created if missing) on a real filesystem, e.g. the default`;
  const text = pathTextProblem(path);
  if (text) return { problem: { field, message: `the path ${text}`, fix } };
  const walk = walkUp(path);
  if ('problem' in walk) return { problem: { field, message: `${path} ${walk.problem}`, fix } };
  if (walk.missing.length === 0 && !walk.stats.isDirectory()) return { problem: { field, message: `${path} is ${fileKind(walk.stats)}, not a folder`, fix } };
  const pseudo = filesystemProblem(walk.existing);
  if (pseudo) return { problem: { field, message: `${path} ${pseudo}`, fix } };
  if (walk.missing.length === 0 && (walk.stats.mode & 0o022) !== 0) {
    // Others could plant a symbolic link where ha-install writes a journal or a log as root.
    return { problem: { field, message: `${path} can be written by group or others (mode ${(walk.stats.mode & 0o777).toString(8)})`, fix: `chmod go-w ${path}, or give a folder only its owner can write` } };
  }
  if (!options.write) return {};
  const denied = writeProblem(walk.existing);
  return denied ? { problem: { field, message: denied.message, fix: 'run with sudo, or give a folder this user can write' }, deniedOnly: denied.denied } : {};
}

/**
 * Creates a folder and its missing parents (mode 0700), one level at a time: recursive mkdir
 * loops for ever under /proc, and this loop is bounded by the path's parts.
 */
export function ensureDirectory(path: string, mode = 0o700): void {
  const walk = walkUp(path);
  if ('problem' in walk) throw new Error(`${path} ${walk.problem}`);
  let current = walk.existing;
  for (const name of walk.missing) {
    current = join(current, name);
    try {
      mkdirSync(current, { mode });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(current).isDirectory()) throw error;
    }
  }
}

/** A file ha-install will write at a path the user gave: never through a symbolic link. */
export function checkFileTarget(path: string, options: { flag: string; force: boolean }): Problem | undefined {
  const field = options.flag;
  const text = pathTextProblem(path);
  if (text) return { field, message: `the path ${text}`, fix: 'give the path of a file to write' };
  const absolute = resolve(path);
  let existing: Stats | undefined;
  try {
    existing = lstatSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return { field, message: `${path} cannot be looked at (${code ?? String(error)})`, fix: 'check the path and its permissions' };
  }
  if (existing?.isSymbolicLink()) return { field, message: `${path} is a symbolic link: ha-install does not write through links`, fix: 'give the path of the file itself, or remove the link' };
  if (existing && !existing.isFile()) return { field, message: `${path} is ${fileKind(existing)}, not a file`, fix: 'give the path of a regular file to write' };
  if (existing && !options.force) return { field, message: `${path} already exists: not overwritten`, fix: 'choose another name, or pass --force to replace it' };
  const parent = dirname(absolute);
  let folder: Stats;
  try {
    folder = statSync(parent);
  } catch {
    return { field, message: `the folder ${parent} does not exist`, fix: `create it first (mkdir -p ${parent}), or choose another path` };
  }
  if (!folder.isDirectory()) return { field, message: `${parent} is ${fileKind(folder)}, not a folder`, fix: 'choose a path inside a folder' };
  const pseudo = filesystemProblem(parent);
  if (pseudo) return { field, message: `${parent} ${pseudo}`, fix: 'choose a path on a real filesystem' };
  const denied = writeProblem(parent);
  return denied ? { field, message: denied.message, fix: 'run with sudo, or choose a folder this user can write' } : undefined;
}
