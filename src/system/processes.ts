import { readdirSync, readFileSync } from 'node:fs';

/** Pids of the live (not zombie) processes whose argv `match` accepts, read from /proc. */
export function livePids(match: (argv: string[]) => boolean): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return pids; // no /proc: nothing to find
  }
  for (const entry of entries) {
    try {
      if (readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /s, '')[0] === 'Z') continue;
      if (match(readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0'))) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
