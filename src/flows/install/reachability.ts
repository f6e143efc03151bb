import type { Answers } from '../../answers/types.js';
import { InputError } from '../../system/errors.js';
import type { MachineFacts } from '../../system/facts.js';
import type { Logger } from '../../system/log.js';
import { pingAddress, tcpProbe, type PingResult, type TcpResult } from '../../system/probes.js';
import type { CheckRow } from '../../prompts/prompter.js';
import type { InstallContext } from '../context.js';
import { resolveAddressAnswer } from './addresses.js';
import { settle } from './settle.js';

type Probed = Pick<Answers, 'masterIp' | 'slaveIp' | 'mode' | 'pingCount' | 'probeTimeoutSeconds' | 'pgPort'>;

/** What a TCP connect proves, in words: "refused" is a live host with nothing on the port, not a failure. */
function tcpText(tcp: TcpResult, timeoutSeconds: number): string {
  switch (tcp.outcome) {
    case 'open':
      return `tcp/${tcp.port} open (${tcp.ms} ms)`;
    case 'refused':
      return `tcp/${tcp.port} refused in ${tcp.ms} ms: the host is up, nothing listens yet`;
    case 'timeout':
      return `tcp/${tcp.port} no answer in ${timeoutSeconds} s`;
    default:
      return `tcp/${tcp.port} ${tcp.outcome}${tcp.detail ? ` (${tcp.detail})` : ''}`;
  }
}

function pingRow(label: string, result: PingResult | undefined, tcp: TcpResult | undefined, needPort: boolean, timeoutSeconds: number): CheckRow {
  const pingText = result
    ? result.alive
      ? `${result.received}/${result.sent} pings, ${result.rttMs?.toFixed(2)} ms round trip`
      : `no reply in ${timeoutSeconds} s (${result.error ?? 'timeout'})`
    : 'ping not installed';
  const measured = [pingText, tcp ? tcpText(tcp, timeoutSeconds) : ''].filter(Boolean).join('; ');
  const answered = (result?.alive ?? false) || (tcp?.hostAnswered ?? false);
  const portOk = !needPort || tcp?.outcome === 'open';
  const verdict = !answered ? 'fail' : !portOk ? 'warn' : 'ok';
  // The timeout is part of what is required: a reply that comes later counts as none.
  const within = `answers within ${timeoutSeconds} s`;
  return {
    name: label,
    measured,
    required: needPort ? `${within}; tcp/${tcp?.port} open` : within,
    verdict,
    fix: !answered
      ? 'check that the server is on, the address is right and no firewall drops ping and TCP; then retry or edit the address'
      : !portOk
        ? `nothing listens on tcp/${tcp?.port} yet: install the master first (the slave install waits for it)`
        : undefined,
  };
}

/**
 * Pings both addresses (count, timeout, round-trip time) and tries a TCP connect to the peer's
 * PostgreSQL port. "Connection refused" still proves the host is up. Without a system ping
 * binary the TCP probe alone decides.
 */
export async function probePair(answers: Probed, facts: Pick<MachineFacts, 'tools' | 'isRoot'>, log: Logger): Promise<CheckRow[]> {
  const own = answers.mode === 'slave' ? answers.slaveIp : answers.masterIp;
  const peer = answers.mode === 'slave' ? answers.masterIp : answers.slaveIp;
  const targets = answers.mode === 'load-balancer' ? [answers.masterIp, answers.slaveIp] : [own, peer];
  const ping = (address: string) =>
    facts.tools.ping ? pingAddress(address, { count: answers.pingCount, timeoutSeconds: answers.probeTimeoutSeconds, root: facts.isRoot }, log) : Promise.resolve(undefined);
  return Promise.all(
    targets.map(async (address, index) => {
      const isPeer = answers.mode === 'load-balancer' || index === 1;
      const [pinged, tcp] = await Promise.all([ping(address), isPeer || !facts.tools.ping ? tcpProbe(address, answers.pgPort, answers.probeTimeoutSeconds) : undefined]);
      const role = address === answers.masterIp ? 'master' : 'slave';
      const needPort = answers.mode === 'slave' && role === 'master';
      return pingRow(`${role} ${address}${isPeer ? '' : ' (this machine)'}`, pinged, tcp, needPort, answers.probeTimeoutSeconds);
    }),
  );
}

/** The reachability step: on failure an interactive admin may retry or edit an address. */
export async function checkReachability(ctx: InstallContext): Promise<void> {
  await settle(ctx, ['pingCount', 'probeTimeoutSeconds', 'pgPort']);
  for (;;) {
    const rows = await probePair(ctx.answers as Probed, ctx.facts, ctx.log);
    const extra: CheckRow[] = ctx.facts.tools.ping ? [] : [{ name: 'ping', measured: 'not installed', required: 'optional', verdict: 'warn', fix: 'install iputils-ping; the TCP probe was used instead' }];
    ctx.ui.checks('Reachability', [...extra, ...rows]);
    for (const row of rows) ctx.log.info(`reachability ${row.name}: ${row.measured}: ${row.verdict}`);
    const failed = rows.filter((r) => r.verdict === 'fail');
    if (failed.length === 0) return;
    if (ctx.sources.prompter === undefined) {
      throw new InputError(
        'A server does not answer: nothing was changed.',
        failed.map((r) => ({ field: r.name.startsWith('master') ? 'master-ip' : 'slave-ip', message: `${r.name} does not answer (${r.measured})`, fix: r.fix })),
      );
    }
    const choice = await ctx.ui.select({
      field: 'reachability',
      message: 'A server does not answer. What now?',
      choices: [
        { value: 'retry', label: 'Retry the check' },
        { value: 'master', label: `Edit the master address (${ctx.answers.masterIp})` },
        { value: 'slave', label: `Edit the slave address (${ctx.answers.slaveIp})` },
        { value: 'abort', label: 'Stop here (nothing was changed)' },
      ],
    });
    if (choice === 'abort') throw new InputError('Stopped at the reachability check: nothing was changed.', failed.map((r) => ({ field: r.name, message: r.measured, fix: r.fix })));
    if (choice === 'master') await resolveAddressAnswer(ctx, 'masterIp', true);
    if (choice === 'slave') await resolveAddressAnswer(ctx, 'slaveIp', true);
  }
}
