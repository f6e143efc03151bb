import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from './errors.js';
import { printable } from './text-checks.js';
import { checkFileTarget } from './user-paths.js';

/**
 * The one writer of files at paths a user gave (--save-answers, `answers init FILE`) and the
 * one opener of log files. It never follows a symbolic link (O_NOFOLLOW, O_EXCL), never
 * replaces a file without `force`, and never opens a FIFO or a device for writing.
 */

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_APPEND, O_NONBLOCK } = constants;

function writeAll(descriptor: number, content: string, mode: number): void {
  // The mode given to open is narrowed by the umask and says nothing of an existing file.
  fchmodSync(descriptor, mode);
  writeSync(descriptor, content);
  fsyncSync(descriptor);
}

function refused(flag: string, path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'EEXIST' ? 'appeared while ha-install was working: not overwritten' : code === 'ELOOP' ? 'became a symbolic link: not followed' : `cannot be written (${code ?? String(error)})`;
  return new InputError(`${printable(path)} was not written.`, [{ field: flag, message: `${path} ${why}`, fix: 'choose another path, or pass --force to replace a file' }]);
}

/**
 * Writes `content` to `path` with `mode`. Without `force` the file must not exist (created with
 * O_EXCL); with it an existing regular file is replaced atomically (a new file renamed over it).
 */
export function writeUserFile(path: string, content: string, options: { flag: string; force: boolean; mode: number }): void {
  const problem = checkFileTarget(path, { flag: options.flag, force: options.force });
  if (problem) throw new InputError(`${printable(path)} was not written.`, [problem]);
  const absolute = resolve(path);
  // A short name of our own: the user's name plus a suffix could pass the 255-byte limit.
  const target = options.force ? join(dirname(absolute), `.ha-install-${process.pid}-${Date.now()}.tmp`) : absolute;
  let descriptor: number;
  try {
    descriptor = openSync(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, options.mode);
  } catch (error) {
    throw refused(options.flag, path, error);
  }
  try {
    writeAll(descriptor, content, options.mode);
  } finally {
    closeSync(descriptor);
  }
  if (target === absolute) return;
  try {
    renameSync(target, absolute); // replaces a link or file put there since the check, never writes through it
  } catch (error) {
    rmSync(target, { force: true });
    throw refused(options.flag, path, error);
  }
}

/**
 * Opens a log file for appending (mode 0600): created if missing, refused when it is a link, a
 * FIFO or anything but a regular file. Returns the descriptor the log writes through.
 */
export function openLogFile(path: string): number {
  const descriptor = openSync(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o600);
  try {
    if (!fstatSync(descriptor).isFile()) throw new Error(`${path} is not a regular file`);
    fchmodSync(descriptor, 0o600);
    return descriptor;
  } catch (error) {
    closeSync(descriptor);
    throw error;
  }
}
