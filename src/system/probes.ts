import { Socket } from 'node:net';
import { isIP } from 'node:net';
import { run } from './exec.js';
import type { Logger } from './log.js';

export interface PingResult {
  address: string;
  alive: boolean;
  /** Echo requests ping says it sent (its own summary line): never more than the count asked. */
  sent: number;
  received: number;
  /** Average round-trip time in milliseconds, when anything answered. */
  rttMs?: number;
  /** Why it failed, in ping's own words (last line of its output). */
  error?: string;
}

/** One interval between echoes: ping's 1 s, or 20 ms as root (still separate echoes, far from a flood). */
const intervalSeconds = (root: boolean) => (root ? 0.02 : 1);

/**
 * The argv that sends exactly `count` echoes and waits `timeoutSeconds` for the last reply. No
 * deadline (-w): with one, ping keeps sending until `count` replies arrive or the deadline
 * passes, so a silent host got dozens of echoes (83 for a count of 1 at the 20 ms interval).
 */
export function pingArgv(address: string, options: { count: number; timeoutSeconds: number; root: boolean }): string[] {
  return [
    'ping', '-n', isIP(address) === 6 ? '-6' : '-4',
    '-c', String(options.count),
    '-W', String(options.timeoutSeconds),
    ...(options.root ? ['-i', String(intervalSeconds(true))] : []),
    '--', address,
  ];
}

/** Reads ping's summary: "3 packets transmitted, 3 received, ..." and "rtt min/avg/max/mdev = a/b/c/d ms". */
export function parsePing(address: string, output: string): PingResult {
  const summary = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
  const rtt = /= [\d.]+\/([\d.]+)\//.exec(output);
  const received = Number(summary?.[2] ?? 0);
  const lastLine = output.trim().split('\n').filter((l) => l.trim() !== '').at(-1);
  return {
    address,
    alive: received > 0,
    sent: Number(summary?.[1] ?? 0),
    received,
    rttMs: rtt ? Number(rtt[1]) : undefined,
    error: received > 0 ? undefined : lastLine,
  };
}

/** Pings with the system `ping` through exec.ts: argv and output go to the log, the time is bounded. */
export async function pingAddress(address: string, options: { count: number; timeoutSeconds: number; root: boolean }, log: Logger): Promise<PingResult> {
  const seconds = (options.count - 1) * intervalSeconds(options.root) + options.timeoutSeconds + 2;
  const result = await run(pingArgv(address, options), log, { reject: false, timeoutMs: Math.ceil(seconds * 1000), title: `ping ${address}` });
  return parsePing(address, `${result.stdout}\n${result.stderr}`);
}

export type TcpOutcome = 'open' | 'refused' | 'timeout' | 'unreachable' | 'error';

export interface TcpResult {
  address: string;
  port: number;
  outcome: TcpOutcome;
  /** The host answered (open, or refused with a reset): it is up even if nothing listens. */
  hostAnswered: boolean;
  ms: number;
  detail?: string;
}

/** A TCP connect with a timeout. "refused" proves the host is up; timeout or unreachable do not. */
export function tcpProbe(address: string, port: number, timeoutSeconds: number): Promise<TcpResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (outcome: TcpOutcome, detail?: string) => {
      socket.destroy();
      resolve({ address, port, outcome, hostAnswered: outcome === 'open' || outcome === 'refused', ms: Math.round(performance.now() - started), detail });
    };
    socket.setTimeout(timeoutSeconds * 1000, () => finish('timeout', `no answer in ${timeoutSeconds} s`));
    socket.once('connect', () => finish('open'));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') finish('refused', 'connection refused: the host is up but nothing listens on the port');
      else if (error.code === 'ENETUNREACH' || error.code === 'EHOSTUNREACH') finish('unreachable', `${error.code}: no route to the host`);
      else finish('error', `${error.code ?? ''} ${error.message}`.trim());
    });
    socket.connect({ host: address, port });
  });
}
