import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { answer, parseLag, paths, type NodeView } from './answer.js';
import type { AgentConfig } from './config.js';
import { Probe } from './probe.js';

/**
 * `ha-install agent CONFIG`: the health endpoint HAProxy checks, on the node's own address.
 * Read-only; every answer within the probe's timeout; HEAD and OPTIONS get the status alone.
 * It logs what changes (the node's role, a failure), never each request.
 */

function send(res: ServerResponse, method: string, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...(method === 'OPTIONS' ? { Allow: 'GET, HEAD, OPTIONS' } : {}) });
  res.end(method === 'GET' ? text : undefined);
}

const summary = (view: NodeView) => (view.up ? `${view.role}${view.receiver ? ` (${view.receiver})` : ''}` : `unavailable: ${view.problem}`) + (view.fence.fenced ? `, FENCED (${view.fence.source})` : '');

export async function runAgent(configPath: string, say = (line: string) => process.stderr.write(`${new Date().toISOString()} ha-install agent: ${line}\n`)): Promise<() => Promise<void>> {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as AgentConfig;
  const probe = new Probe(config, say);
  let last = '';
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://agent');
    const check = paths[url.pathname];
    if (!['GET', 'HEAD', 'OPTIONS'].includes(method)) return send(res, method, 405, { error: `${method} is not served: the agent is read-only (GET, HEAD, OPTIONS)` });
    if (check === undefined) return send(res, method, 404, { error: `no such check: ${url.pathname}`, checks: Object.keys(paths) });
    const lagText = url.searchParams.get('lag');
    const lagLimit = lagText === null ? undefined : parseLag(lagText);
    if (lagText !== null && lagLimit === undefined) return send(res, method, 400, { error: `lag=${lagText.slice(0, 40)} is not a size: give bytes or e.g. 16MB` });
    const view = await probe.read();
    const now = summary(view);
    if (now !== last) say(`node is ${now}`);
    last = now;
    const verdict = answer(check, view, { cluster: config.cluster, lagLimit });
    send(res, method, verdict.status, verdict.body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      say(`answering ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) send(res, req.method ?? 'GET', 503, { error: 'the agent could not read the node' });
    });
  });
  // A check is one short request: a client that sends nothing in 5 s is not a check.
  server.requestTimeout = 5000;
  server.headersTimeout = 5000;
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => resolve());
  });
  say(`serving ${config.cluster} on http://${config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host}:${config.listen.port}/ (/primary /replica /read-only /health)`);
  return async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
    await probe.close();
  };
}
