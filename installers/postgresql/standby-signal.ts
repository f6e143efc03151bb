import { readFileSync } from 'node:fs';

/**
 * standby.signal makes PostgreSQL start a node as a standby; its content is ignored by
 * PostgreSQL, so ha-install says in it why it is there: a standby of the pair, or a fence (an
 * old master whose peer is the primary now: it starts read-only until restore-master).
 */
export const STANDBY_MARK = '# ha-install: this node starts as a standby of its peer (primary_conninfo in conf.d)\n';
const FENCE = '# ha-install fence: ';

export function fenceMark(why: string, restore: string): string {
  return `${FENCE}${why.replaceAll('\n', ' ')}\n# run as root: ${restore}\n`;
}

export interface StandbySignal {
  fenced: boolean;
  reason?: string;
  restore?: string;
}

/** The node's standby.signal, or undefined when it has none (it would start as a primary). */
export function readStandbySignal(dataDir: string): StandbySignal | undefined {
  let text: string;
  try {
    text = readFileSync(`${dataDir}/standby.signal`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { fenced: false }; // there, but not ours to read: PostgreSQL still starts a standby
  }
  const line = text.split('\n').find((l) => l.startsWith(FENCE));
  if (!line) return { fenced: false };
  const restore = text.split('\n').find((l) => l.startsWith('# run as root: '))?.slice('# run as root: '.length);
  return { fenced: true, reason: line.slice(FENCE.length), restore };
}
