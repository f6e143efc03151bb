import { execFileSync } from 'node:child_process';
import { withPeer, type PeerLogin } from './remote.js';

/** WAL positions (`16/B374D848`) as numbers of bytes, for the distance between two of them. */
export function lsnBytes(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

/** One line of a timeline history file: the parent timeline and where the child left it. */
export interface TimelineSwitch {
  parent: number;
  at: string;
}

export function parseHistory(text: string): TimelineSwitch[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => /^\d+$/.test(fields[0] ?? '') && /^[0-9A-F]+\/[0-9A-F]+$/i.test(fields[1] ?? ''))
    .map(([parent, at]) => ({ parent: Number(parent), at: at! }));
}

/** The history of `timeline` on the peer (TIMELINE_HISTORY over a replication connection); timeline 1 has none. */
export async function peerHistory(login: PeerLogin, timeline: number): Promise<TimelineSwitch[]> {
  if (timeline <= 1) return [];
  const rows = await withPeer({ ...login, replication: true }, async (client) => (await client.query(`TIMELINE_HISTORY ${timeline}`)).rows as Array<{ content: Buffer | string }>);
  return parseHistory(String(rows[0]?.content ?? ''));
}

/**
 * Where the peer's history left this node's timeline: the fork point. `undefined` when this
 * node's timeline is not in the peer's history at all (they do not share it: a clone is needed).
 */
export function forkFrom(history: TimelineSwitch[], localTimeline: number, peerTimeline: number): { timeline: number; at?: string } | undefined {
  if (localTimeline === peerTimeline) return { timeline: localTimeline };
  const left = history.find((entry) => entry.parent === localTimeline);
  return left ? { timeline: localTimeline, at: left.at } : undefined;
}

/**
 * The end of a stopped node's WAL on `timeline`, from its last checkpoint on: pg_waldump reads
 * records until the first that is not there ("invalid record length at 0/3006D58"), which is
 * where the node's writes stopped, including what an unclean stop left after the checkpoint.
 */
export function walEnd(binDir: string, dataDir: string, timeline: number, from: string): string | undefined {
  let said = '';
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', `${binDir}/pg_waldump`, '--quiet', '-p', `${dataDir}/pg_wal`, '-t', String(timeline), '-s', from], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { LC_ALL: 'C', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
      cwd: '/',
      timeout: 60_000,
    });
  } catch (error) {
    said = String((error as { stderr?: string }).stderr ?? '');
  }
  // "error in WAL record at 0/3006D20: invalid record length at 0/3006D58": the last position named is the end.
  const named = [...said.matchAll(/(?: at|LSN) ([0-9A-F]+\/[0-9A-F]+)/gi)].at(-1)?.[1];
  return named;
}
