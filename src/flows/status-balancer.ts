import type { NodeStatus } from '../../installers/postgresql/status.js';
import { balancedServers, type BalancedServer } from '../../installers/haproxy/stats.js';
import type { NodeState } from './state.js';

/**
 * The balancer's part of `status`: HAProxy's servers from its stats socket. Healthy when
 * exactly one database node is UP in the PostgreSQL section: none means clients have nowhere
 * to go, two means two nodes answer as the writable primary.
 */
export async function balancerStatus(balancer: NonNullable<NodeState['balancer']>): Promise<{ status: NodeStatus; servers: BalancedServer[] }> {
  const status: NodeStatus = { cluster: `${balancer.address}:${balancer.port}`, role: 'balancer', healthy: false, problems: [] };
  let servers: BalancedServer[] = [];
  try {
    servers = await balancedServers(balancer.statsSocket);
  } catch (error) {
    status.problems.push(`HAProxy's stats socket ${balancer.statsSocket} does not answer (${error instanceof Error ? error.message : String(error)}): is HAProxy running?`);
    return { status, servers };
  }
  const up = servers.filter((s) => s.proxy === 'postgresql' && s.status.startsWith('UP'));
  if (up.length === 0) status.problems.push('no database node is UP for PostgreSQL: clients have nowhere to go');
  if (up.length > 1) status.problems.push(`${up.map((s) => s.name).join(' and ')} are both UP: two nodes answer as the writable primary`);
  status.peer = up[0] ? `${up[0].name} ${up[0].address}` : undefined;
  status.healthy = status.problems.length === 0;
  return { status, servers };
}
