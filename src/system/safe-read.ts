import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/**
 * The one reader of files a user names (answers files, secret files, recorded machines): only
 * regular files, at most `maxBytes`. A FIFO would hang the read, /dev/zero would fill the
 * memory, a 20 MB file is no answers file: each is refused before a byte is read.
 */
export type ReadResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'missing' | 'denied' | 'folder' | 'not-regular' | 'too-large' | 'other'; detail: string };

/** What a non-regular file is, in words. */
export function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return stats.isFile() ? 'a regular file' : 'not a regular file';
}

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`);

function refusal(error: unknown): ReadResult {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', detail: 'does not exist' };
  if (code === 'EACCES' || code === 'EPERM') return { ok: false, reason: 'denied', detail: 'cannot be read (permission denied)' };
  return { ok: false, reason: 'other', detail: `cannot be read (${code ?? String(error)})` };
}

function checkKind(stats: Stats, maxBytes: number): ReadResult | undefined {
  if (stats.isDirectory()) return { ok: false, reason: 'folder', detail: 'is a folder, not a file' };
  if (!stats.isFile()) return { ok: false, reason: 'not-regular', detail: `is ${fileKind(stats)}, not a regular file` };
  if (stats.size > maxBytes) return { ok: false, reason: 'too-large', detail: `is ${sizeText(stats.size)}, more than the ${sizeText(maxBytes)} allowed` };
  return undefined;
}

export function readRegularFile(path: string, maxBytes: number): ReadResult {
  let descriptor: number;
  try {
    // stat first: opening a device or a FIFO can have effects of its own (or block).
    const early = checkKind(statSync(path), maxBytes);
    if (early) return early;
    descriptor = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    return refusal(error);
  }
  try {
    const late = checkKind(fstatSync(descriptor), maxBytes); // the path may have changed in between
    if (late) return late;
    // Files under /proc report size 0 and may be endless: read at most one byte past the cap.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let got = -1; got !== 0 && length <= maxBytes; length += got) got = readSync(descriptor, buffer, length, buffer.length - length, null);
    if (length > maxBytes) return { ok: false, reason: 'too-large', detail: `is more than the ${sizeText(maxBytes)} allowed` };
    return { ok: true, text: buffer.subarray(0, length).toString('utf8') };
  } catch (error) {
    return refusal(error);
  } finally {
    closeSync(descriptor);
  }
}
