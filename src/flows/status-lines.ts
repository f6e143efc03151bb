import type { Mode } from '../answers/types.js';
import type { NodeStatus } from '../../installers/postgresql/status.js';
import type { RoleChange } from './state.js';
import type { ServiceStatus } from '../../installers/services/state.js';
import type { BalancedServer } from '../../installers/haproxy/stats.js';
import type { EventRecord } from '../../installers/monitor/events.js';

/** The peer as this node sees it, live over the network. */
export interface PeerSummary {
  address: string;
  role: 'primary' | 'standby' | 'unreachable';
  timeline?: number;
  problem?: string;
  /** Same system identifier as the pair's (undefined: not known). */
  sameSystem?: boolean;
}

export interface StatusReport {
  nodes: Array<{ name: string; address?: string; installedAs: Mode; status: NodeStatus; peer?: PeerSummary; history: RoleChange[]; services?: ServiceStatus[]; servers?: BalancedServer[]; events?: EventRecord[] }>;
  healthy: boolean;
  at: string;
}

const ago = (seconds: number | undefined) => (seconds === undefined ? '' : seconds < 120 ? `${seconds} s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds / 3600)} h`);

/** One service: state, pid, since, restarts. */
export function serviceText(s: ServiceStatus): string {
  const parts = [s.state, s.model === 'systemd' ? 'systemd' : 'supervised', s.pid ? `pid ${s.pid}` : '', s.since ? `since ${s.since}` : '', s.restarts ? `${s.restarts} restart(s)` : '', s.enabled === false ? 'NOT enabled' : ''];
  return `${s.name}: ${parts.filter(Boolean).join(', ')}`;
}

/** One HAProxy server: state, check, since when, sessions. */
export function serverText(s: BalancedServer): string {
  return `${s.proxy}/${s.name} ${s.address} ${s.status}${s.backup ? ' (backup)' : ''}, check ${s.check}${s.sinceSeconds !== undefined ? `, for ${ago(s.sinceSeconds)}` : ''}, sessions ${s.sessions} now, ${s.totalSessions} in all`;
}

/** The rows of a balancer: each server, then its services. */
function balancerRows(node: StatusReport['nodes'][number]): Array<[string, string]> {
  return [
    ['role now', 'load balancer (HAProxy)'],
    ['clients', node.status.cluster],
    ['primary', node.status.peer ?? 'none UP'],
    ...(node.servers ?? []).map((s): [string, string] => ['server', serverText(s)]),
    ...(node.services ?? []).map((s): [string, string] => ['service', serviceText(s)]),
  ];
}

const bytes = (n: number | undefined) =>
  n === undefined ? '-' : n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} kB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${(n / 1024 ** 3).toFixed(2)} GB`;

function roleText(status: NodeStatus): string {
  if (status.fenced) return `${status.role}, FENCED (${status.fenced.source === 'runtime' ? 'the agent answers 503: no client gets here' : 'read-only'})`;
  return status.role === 'primary' ? 'primary (writable)' : status.role === 'standalone' ? 'standalone (a server of its own, no pair)' : status.role;
}

function peerText(peer: PeerSummary | undefined, status: NodeStatus): string {
  if (!peer) return status.peer ?? '-';
  const live = peer.role === 'unreachable' ? `does not answer${peer.problem ? ` (${peer.problem})` : ''}` : `${peer.role}, timeline ${peer.timeline ?? '?'}`;
  return `${peer.address}: ${live}${peer.sameSystem === false ? ', ANOTHER database system' : ''}`;
}

/** The rows shown for one node, shared by the ink dashboard and the plain text output. */
export function statusRows(node: StatusReport['nodes'][number]): Array<[string, string]> {
  const { status } = node;
  if (status.role === 'balancer') return balancerRows(node);
  const last = node.history.at(-1);
  return [
    ['role now', roleText(status)],
    ['installed as', node.installedAs],
    ['peer', peerText(node.peer, status)],
    ['replication', [status.replication ?? 'none', status.syncState ? `(${status.syncState})` : '', status.role === 'standby' && status.peer ? `from ${status.peer}` : status.role === 'primary' && status.peer ? `to ${status.peer}` : ''].filter(Boolean).join(' ')],
    ['lag', `${bytes(status.lagBytes)}, ${status.lagSeconds === undefined ? '-' : `${status.lagSeconds} s`}`],
    ['slot', status.slot ? `${status.slot.name} ${status.slot.active ? 'active' : 'inactive'}, WAL ${status.slot.walStatus || '-'}, retains ${bytes(status.slot.retainedBytes)}` : '-'],
    ['timeline', status.timeline === undefined ? '-' : String(status.timeline)],
    ['last change', last ? `${last.event} ${last.node} (${last.detail}) at ${last.at}` : '-'],
    ...(node.services ?? []).map((s): [string, string] => ['service', serviceText(s)]),
    ...(node.events ?? []).map((e): [string, string] => ['event', eventText(e)]),
  ];
}

/** One event as the log has it: when, AMM's name and arguments, what the script did. */
export function eventText(e: EventRecord): string {
  const script = !e.script
    ? ''
    : e.script.error
      ? `; script: ${e.script.error}`
      : e.script.timedOut
        ? `; script killed after its timeout`
        : `; script exit ${e.script.exitCode ?? e.script.signal}`;
  return `${e.at} ${e.name} ${e.args.join(' ')}${script}`;
}

export function statusText(report: StatusReport): string {
  const lines: string[] = [];
  for (const node of report.nodes) {
    lines.push(`${node.status.healthy ? '✔' : '✖'} ${node.name} (${node.status.cluster})`);
    for (const [label, value] of statusRows(node)) lines.push(`    ${label.padEnd(12)} ${value}`);
    for (const problem of node.status.problems) lines.push(`    problem      ${problem}`);
    if (node.status.fenced?.restore) lines.push(`    next step    ${node.status.fenced.restore}`);
  }
  const databases = report.nodes.filter((n) => n.status.role !== 'balancer');
  const balancers = report.nodes.filter((n) => n.status.role === 'balancer');
  const standalone = databases.length > 0 && databases.every((n) => n.installedAs === 'standalone');
  const leftInFront = balancers.filter((n) => !n.status.healthy).map((n) => n.address ?? n.name);
  lines.push(
    '',
    !standalone
      ? report.healthy
        ? 'The pair is healthy.'
        : 'The pair is NOT healthy (exit code 1).'
      : databases.every((n) => n.status.healthy) && leftInFront.length > 0
        ? `Standalone: no pair; every server runs on its own. The balancer ${leftInFront.join(', ')} left in front has no primary to send clients to (exit code 1): on it, \`ha-install service list\`, then \`ha-install service remove\` its HAProxy and witness.`
        : report.healthy
          ? 'Standalone: no pair; every server runs on its own.'
          : 'Standalone, and NOT healthy (exit code 1).',
  );
  return lines.join('\n');
}
