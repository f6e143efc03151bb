import type { NodeStatus } from '../../installers/postgresql/status.js';

export interface StatusReport {
  nodes: Array<{ name: string; address?: string; status: NodeStatus }>;
  healthy: boolean;
  at: string;
}

const bytes = (n: number | undefined) =>
  n === undefined ? '-' : n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} kB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${(n / 1024 ** 3).toFixed(2)} GB`;

/** The rows shown for one node, shared by the ink dashboard and the plain text output. */
export function statusRows(status: NodeStatus): Array<[string, string]> {
  return [
    ['role', status.role],
    ['peer', status.peer ?? '-'],
    ['replication', [status.replication ?? 'none', status.syncState ? `(${status.syncState})` : ''].join(' ').trim()],
    ['lag', `${bytes(status.lagBytes)}, ${status.lagSeconds === undefined ? '-' : `${status.lagSeconds} s`}`],
    ['slot', status.slot ? `${status.slot.name} ${status.slot.active ? 'active' : 'inactive'}, WAL ${status.slot.walStatus || '-'}, retains ${bytes(status.slot.retainedBytes)}` : '-'],
    ['timeline', status.timeline === undefined ? '-' : String(status.timeline)],
    ['last event', status.lastEvent ? `${status.lastEvent.event} on ${status.lastEvent.node} at ${status.lastEvent.at}` : '-'],
  ];
}

export function statusText(report: StatusReport): string {
  const lines: string[] = [];
  for (const node of report.nodes) {
    lines.push(`${node.status.healthy ? '✔' : '✖'} ${node.name}${node.address ? ` ${node.address}` : ''} (${node.status.cluster})`);
    for (const [label, value] of statusRows(node.status)) lines.push(`    ${label.padEnd(12)} ${value}`);
    for (const problem of node.status.problems) lines.push(`    problem      ${problem}`);
  }
  lines.push('', report.healthy ? 'The pair is healthy.' : 'The pair is NOT healthy (exit code 1).');
  return lines.join('\n');
}
