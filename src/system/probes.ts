import { Socket } from 'node:net';
import { isIP } from 'node:net';
import ping from 'ping';

export interface PingResult {
  address: string;
  alive: boolean;
  sent: number;
  received: number;
  /** Average round-trip time in milliseconds, when anything answered. */
  rttMs?: number;
  /** Why it failed, in ping's own words (last line of its output). */
  error?: string;
}

/**
 * Pings with the system `ping` through the `ping` package. As root the interval drops from
 * ping's 1 s to 20 ms, so the default three pings take 40 ms plus one round trip, not 2 s:
 * still three separate echoes (loss shows), far from a flood.
 */
export async function pingAddress(address: string, options: { count: number; timeoutSeconds: number; root: boolean }): Promise<PingResult> {
  const extra = options.root ? ['-i', '0.02'] : [];
  const result = await ping.promise.probe(address, {
    timeout: options.timeoutSeconds,
    deadline: options.timeoutSeconds + options.count,
    min_reply: options.count,
    v6: isIP(address) === 6,
    extra,
  });
  const received = result.times?.length ?? 0;
  const avg = Number(result.avg);
  const lastLine = String(result.output ?? '')
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .at(-1);
  return {
    address,
    alive: Boolean(result.alive),
    sent: options.count,
    received,
    rttMs: Number.isFinite(avg) ? avg : undefined,
    error: result.alive ? undefined : lastLine,
  };
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
