import type { Mode } from '../answers/types.js';
import type { NodeStatus } from '../../installers/postgresql/status.js';
import type { RoleChange } from './state.js';

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
  nodes: Array<{ name: string; address?: string; installedAs: Mode; status: NodeStatus; peer?: PeerSummary; history: RoleChange[] }>;
  healthy: boolean;
  at: string;
}

const bytes = (n: number | undefined) =>
  n === undefined ? '-' : n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} kB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${(n / 1024 ** 3).toFixed(2)} GB`;

function roleText(status: NodeStatus): string {
  if (status.fenced) return `${status.role}, FENCED (read-only)`;
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
  ];
}

export function statusText(report: StatusReport): string {
  const lines: string[] = [];
  for (const node of report.nodes) {
    lines.push(`${node.status.healthy ? '✔' : '✖'} ${node.name} (${node.status.cluster})`);
    for (const [label, value] of statusRows(node)) lines.push(`    ${label.padEnd(12)} ${value}`);
    for (const problem of node.status.problems) lines.push(`    problem      ${problem}`);
    if (node.status.fenced?.restore) lines.push(`    next step    ${node.status.fenced.restore}`);
  }
  const standalone = report.nodes.length > 0 && report.nodes.every((n) => n.installedAs === 'standalone');
  lines.push('', standalone ? (report.healthy ? 'Standalone: no pair; every server runs on its own.' : 'Standalone, and NOT healthy (exit code 1).') : report.healthy ? 'The pair is healthy.' : 'The pair is NOT healthy (exit code 1).');
  return lines.join('\n');
}
