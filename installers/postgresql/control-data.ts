import { execFileSync } from 'node:child_process';

/** What pg_controldata says of a data directory, running or not. */
export interface ControlData {
  systemId?: string;
  /** "in production", "shut down", "in archive recovery", "shut down in recovery", ... */
  state?: string;
  /** The timeline of the latest checkpoint. */
  timeline?: number;
  checkpoint?: string;
  /** Where a standby (or a rewound node) must replay to before it is consistent. */
  minRecoveryEnd?: string;
  /** What pg_rewind needs one of: wal_log_hints on, or data checksums (version not 0). */
  walLogHints?: boolean;
  checksums?: boolean;
}

export function parseControlData(text: string): ControlData {
  const field = (name: string) => text.match(new RegExp(`^${name}:\\s*(.+)$`, 'm'))?.[1]?.trim();
  const timeline = field("Latest checkpoint's TimeLineID");
  return {
    systemId: field('Database system identifier'),
    state: field('Database cluster state'),
    timeline: timeline === undefined ? undefined : Number(timeline),
    checkpoint: field('Latest checkpoint location'),
    minRecoveryEnd: field('Minimum recovery ending location'),
    walLogHints: field('wal_log_hints setting') === undefined ? undefined : field('wal_log_hints setting') === 'on',
    checksums: field('Data page checksum version') === undefined ? undefined : field('Data page checksum version') !== '0',
  };
}

/**
 * pg_controldata of `dataDir` (it reads global/pg_control, so the server may be stopped, even
 * killed). Run as the data directory's owner or root; LC_ALL=C keeps the labels in English.
 */
export function readControlData(binDir: string, dataDir: string, user?: string): ControlData {
  const argv = [`${binDir}/pg_controldata`, '-D', dataDir];
  const [command, ...args] = user ? ['runuser', '-u', user, '--', ...argv] : argv;
  try {
    return parseControlData(execFileSync(command!, args, { encoding: 'utf8', env: { LC_ALL: 'C', PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' }));
  } catch {
    return {}; // no data directory yet, or not readable: nothing is known
  }
}
