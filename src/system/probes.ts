import { Socket } from 'node:net';
import { isIP } from 'node:net';
import type ping from 'ping';
import builders from 'ping/lib/builder/factory.js';
import parsers from 'ping/lib/parser/factory.js';
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
 * What the `ping` package is given: exactly `count` echoes (-c), `timeoutSeconds` to wait for a
 * reply (-W), and no deadline (-w): with one, ping keeps sending until `count` replies arrive or
 * the deadline passes, so a silent host got dozens of echoes (83 for a count of 1 at 20 ms).
 */
export function pingConfig(address: string, options: { count: number; timeoutSeconds: number; root: boolean }): ping.PingConfig {
  return {
    numeric: true,
    timeout: options.timeoutSeconds,
    deadline: undefined, // the package's default is none
    min_reply: options.count,
    v6: isIP(address) === 6,
    extra: options.root ? ['-i', String(intervalSeconds(true))] : [],
  };
}

/** The argv the `ping` package builds for this config (its own argument builder). */
export function pingArgv(address: string, config: ping.PingConfig): string[] {
  return [builders.getExecutablePath(process.platform, Boolean(config.v6)), ...builders.createBuilder(process.platform).getCommandArguments(address, config)];
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

/**
 * Pings with the system `ping`: the `ping` package builds the argv and reads the replies, and
 * exec.ts starts it (argv and output in the log, the whitelisted environment with LANG=C as the
 * package's parser expects, the time bounded). The package's own spawn would hand ping this
 * process's whole environment.
 */
export async function pingAddress(address: string, options: { count: number; timeoutSeconds: number; root: boolean }, log: Logger): Promise<PingResult> {
  const config = pingConfig(address, options);
  const seconds = (options.count - 1) * intervalSeconds(options.root) + options.timeoutSeconds + 2;
  const result = await run(pingArgv(address, config), log, { reject: false, env: { LANG: 'C' }, timeoutMs: Math.ceil(seconds * 1000), title: `ping ${address}` });
  const output = `${result.stdout}\n${result.stderr}`;
  const parser = parsers.createParser(address, process.platform, config);
  output.split('\n').forEach(parser.eat, parser);
  const replies = parser.getResult();
  const avg = Number(replies.avg);
  return { ...parsePing(address, output), alive: Boolean(replies.alive), rttMs: Number.isFinite(avg) ? avg : undefined };
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
