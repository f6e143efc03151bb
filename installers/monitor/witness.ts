import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { WitnessConfig } from './config.js';
import { lookAtAgent } from './observe.js';

/**
 * `ha-install witness CONFIG`: the third vantage point, on the balancer. Two database servers
 * alone cannot tell "the master is dead" from "I cannot see the master"; the balancer is where
 * the clients come from, so what it sees is what counts. The witness looks at both nodes all
 * the time, from the balancer's own address, as HAProxy does (each node's agent, and a TCP
 * connect to its PostgreSQL port), and answers from memory at once:
 *
 *   GET /ping            200: the witness runs (for people and scripts; the monitors ask /view)
 *   GET /view?node=ADDR  200 {node, role, agoMs, ...}: when it last saw ADDR as a reachable
 *                        primary (agoMs: null for never), and what it sees now; 503 until its
 *                        first look at ADDR has ended (it never answers from nothing)
 *
 * It never decides anything: the standby's monitor does (decide.ts), with this among its reasons.
 */

interface Seen {
  /** The first look at the node has ended: before it, the witness has nothing to say. */
  looked?: boolean;
  /** The last time the node answered as a reachable, unfenced primary. */
  primaryAt?: number;
  /** The last time its agent answered at all. */
  answeredAt?: number;
  role?: string;
  fenced?: boolean;
  problem?: string;
}

function tcpAnswers(host: string, port: number, timeoutMs: number, from?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, localAddress: from, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body) + '\n');
}

export async function runWitness(configPath: string, say = (line: string) => process.stderr.write(`${new Date().toISOString()} ha-install witness: ${line}\n`)): Promise<() => Promise<void>> {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as WitnessConfig;
  const seen = new Map<string, Seen>(config.nodes.map((n) => [n.host, {}]));
  let running = true;

  const look = async (node: WitnessConfig['nodes'][number]) => {
    // The agent is given its own time, as HAProxy gives it: a slow master that still gets clients is seen.
    const [agent, pg] = await Promise.all([
      lookAtAgent(node.host, node.agentPort, '/primary', config.patienceMs ?? config.timeoutMs, config.listen.host),
      tcpAnswers(node.host, node.pgPort, config.patienceMs ?? config.timeoutMs, config.listen.host),
    ]);
    const now = Date.now();
    const s = seen.get(node.host)!;
    s.looked = true;
    const before = `${s.role ?? '-'}${s.fenced ? ' fenced' : ''}${s.problem ? ` (${s.problem})` : ''}`;
    if (agent.answered) s.answeredAt = now;
    s.role = agent.answered ? agent.role : 'unreachable';
    s.fenced = agent.fenced;
    s.problem = !agent.answered ? 'its agent does not answer' : !pg ? `its PostgreSQL port ${node.pgPort} does not accept connections` : undefined;
    if (agent.status === 200 && pg) s.primaryAt = now;
    const after = `${s.role ?? '-'}${s.fenced ? ' fenced' : ''}${s.problem ? ` (${s.problem})` : ''}`;
    if (after !== before) say(`${node.host} is ${after}`);
  };
  // Each node on its own beat: a node whose looks time out does not slow the looks at the other.
  const loop = (node: WitnessConfig['nodes'][number]) => async () => {
    while (running) {
      const started = Date.now();
      await look(node);
      await delay(Math.max(0, config.intervalMs - (Date.now() - started)));
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://witness');
    if (req.method !== 'GET') return send(res, 405, { error: `${req.method} is not served: the witness is read-only (GET)` });
    if (url.pathname === '/ping') return send(res, 200, { ok: true });
    if (url.pathname !== '/view') return send(res, 404, { error: `no such path: ${url.pathname}`, paths: ['/ping', '/view?node=ADDRESS'] });
    const node = url.searchParams.get('node') ?? '';
    const s = seen.get(node);
    if (!s) return send(res, 404, { error: `${node.slice(0, 60)} is not a node of this pair`, nodes: [...seen.keys()] });
    if (!s.looked) return send(res, 503, { node, error: 'not looked at yet: the witness has just started' });
    const now = Date.now();
    return send(res, 200, {
      node,
      role: s.role ?? 'not looked at yet',
      fenced: s.fenced ?? false,
      agoMs: s.primaryAt === undefined ? null : now - s.primaryAt,
      answeredAgoMs: s.answeredAt === undefined ? null : now - s.answeredAt,
      ...(s.problem ? { problem: s.problem } : {}),
    });
  });
  server.requestTimeout = 5000;
  server.headersTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => resolve());
  });
  say(`watching ${config.nodes.map((n) => n.host).join(' and ')} every ${config.intervalMs} ms; serving http://${config.listen.host}:${config.listen.port}/ (/ping /view?node=)`);
  const done = Promise.all(config.nodes.map((node) => loop(node)()));
  return async () => {
    running = false;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await Promise.all([closed, done]);
  };
}
