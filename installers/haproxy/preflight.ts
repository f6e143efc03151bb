import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckRow } from '../../src/prompts/prompter.js';
import { InputError } from '../../src/system/errors.js';
import { run } from '../../src/system/exec.js';
import type { Logger } from '../../src/system/log.js';
import { livePids } from '../../src/system/processes.js';
import { serviceStatus } from '../services/state.js';
import { renderConfig, type BalancerAnswers } from './render.js';
import { balancerService, HAPROXY } from './service.js';

/**
 * What must hold before the balancer's install changes anything: the template renders and
 * HAProxy accepts the result, the ports are free on the balancer's address (or held by this
 * very HAProxy), no other HAProxy runs on the same file, and both nodes' agents answer.
 */

/** An agent's answer to GET /primary: its status and role, or why there was none. */
export async function askAgent(host: string, port: number, timeoutMs: number): Promise<{ status?: number; role?: string; problem?: string }> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/primary', method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode, role: String((JSON.parse(body) as { role?: string }).role ?? '?') });
        } catch {
          resolve({ status: res.statusCode, problem: 'answered, but not as the ha-install agent does (no JSON)' });
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ problem: error.code === 'ECONNREFUSED' ? 'connection refused: no agent listens there' : error.message }));
    req.end();
  });
}

function agentRows(rows: CheckRow[], a: BalancerAnswers, answersByNode: Array<{ role: string; address: string; reply: Awaited<ReturnType<typeof askAgent>> }>): void {
  for (const { role, address, reply } of answersByNode) {
    const ok = reply.status !== undefined && reply.problem === undefined;
    rows.push({
      name: `agent on the ${role} ${address}`,
      field: role === 'master' ? 'master-ip' : 'slave-ip',
      measured: ok ? `GET /primary: ${reply.status} (${reply.role})` : `tcp/${a.agentPort}: ${reply.problem ?? 'no answer'}`,
      required: 'answers GET /primary (200 on the primary, 503 elsewhere)',
      verdict: ok ? 'ok' : 'fail',
      fix: ok ? undefined : `install (or re-run) the ${role} with ha-install ${role === 'master' ? '(mode 2)' : '(mode 3)'}: its health agent listens on ${address}:${a.agentPort} (agent.port)`,
    });
  }
  const primaries = answersByNode.filter((n) => n.reply.status === 200).length;
  if (answersByNode.every((n) => n.reply.status !== undefined) && primaries !== 1) {
    rows.push({ name: 'writable primary', measured: primaries === 0 ? 'none of the two answers 200 now' : 'BOTH answer 200: two primaries', required: 'exactly one', verdict: 'warn', fix: 'check the pair with `ha-install status` on a database node; HAProxy sends clients only to a node that answers 200' });
  }
}

/** Whether host:port can be bound now: free, taken (by whom we cannot say here), or not this machine's. */
function bindable(host: string, port: number): Promise<'free' | 'in use' | string> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' ? 'in use' : `${error.code ?? error.message}`));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve('free')));
  });
}

export async function balancerPreflight(a: BalancerAnswers, options: { init: 'systemd' | 'none'; logDir: string; log: Logger }): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  const installed = existsSync(HAPROXY);
  let config: string | undefined;
  try {
    config = renderConfig(a, { statsHash: '$6$check$' + 'x'.repeat(86), statsSocket: '/run/ha-install/preflight.sock', stateFile: '/run/ha-install/preflight.servers' });
    rows.push({ name: 'template', field: 'haproxy.template', measured: a.haproxyTemplate ?? 'the shipped one', required: 'renders', verdict: 'ok' });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    rows.push(...error.problems.map((p): CheckRow => ({ name: 'template', field: 'haproxy.template', measured: p.message, required: 'only the names templates/haproxy/haproxy.cfg lists', verdict: 'fail', fix: p.fix })));
  }
  if (config !== undefined && installed) {
    const dir = mkdtempSync(join(tmpdir(), 'ha-install-haproxy-'));
    try {
      writeFileSync(join(dir, 'haproxy.cfg'), config);
      const checked = await run([HAPROXY, '-c', '-f', join(dir, 'haproxy.cfg')], options.log, { reject: false, title: 'Checking the HAProxy configuration' });
      const why = (checked.stderr || checked.stdout).trim().split('\n').filter((l) => /ALERT|WARNING|error/i.test(l)).slice(0, 4).join(' | ');
      rows.push({ name: 'configuration', field: a.haproxyTemplate ? 'haproxy.template' : undefined, measured: checked.exitCode === 0 ? 'haproxy -c: valid' : `haproxy -c refuses it: ${why || `exit ${checked.exitCode}`}`, required: 'valid', verdict: checked.exitCode === 0 ? 'ok' : 'fail', fix: checked.exitCode === 0 ? undefined : 'fix the template (haproxy.template) or the answers it is given' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else if (config !== undefined) {
    rows.push({ name: 'configuration', measured: 'HAProxy is not installed yet', required: 'valid', verdict: 'info', fix: 'the package step installs it; the configuration is checked with haproxy -c right before it is written' });
  }
  // The ports: free, or held by this very HAProxy (a re-run), whose live configuration binds them.
  const service = balancerService(a, options.init, options.logDir);
  const ours = (await serviceStatus(service.ref, options.log)).state === 'running';
  const live = existsSync(a.haproxyConfig) ? readFileSync(a.haproxyConfig, 'utf8') : '';
  for (const [port, field] of [[a.balancerPort, 'haproxy.port'], [a.statsPort, 'haproxy.stats-port'], ...(a.appPort !== undefined ? [[a.appPort, 'haproxy.app-port']] : [])] as Array<[number, string]>) {
    const state = await bindable(a.balancerIp!, port);
    const held = state === 'in use' && ours && live.includes(`bind ${a.balancerIp!.includes(':') ? `[${a.balancerIp}]` : a.balancerIp}:${port}`);
    const ok = state === 'free' || held;
    rows.push({ name: `port ${port}`, field, measured: held ? `in use by this HAProxy (${service.spec?.name ?? 'haproxy.service'})` : state, required: `free on ${a.balancerIp}`, verdict: ok ? 'ok' : 'fail', fix: ok ? undefined : state === 'in use' ? `another program listens on ${a.balancerIp}:${port}: stop it, or choose another ${field}` : `${a.balancerIp}:${port} cannot be bound (${state})` });
  }
  const others = livePids((argv) => /haproxy$/.test(argv[0] ?? '') && argv.includes(a.haproxyConfig)).filter(() => !ours);
  if (others.length > 0) rows.push({ name: 'another HAProxy', field: 'haproxy.config', measured: `pid ${others.join(', ')} runs on ${a.haproxyConfig}, not started by ha-install`, required: 'none', verdict: 'fail', fix: `stop it first (e.g. /etc/init.d/haproxy stop), or give ha-install another haproxy.config` });
  const replies = await Promise.all(
    [['master', a.masterIp], ['slave', a.slaveIp]].map(async ([role, address]) => ({ role: role!, address: address!, reply: await askAgent(address!, a.agentPort, a.agentTimeoutMs + 1000) })),
  );
  agentRows(rows, a, replies);
  return rows;
}
