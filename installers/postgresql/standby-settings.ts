import type { FileAction } from '../../src/engine/actions.js';
import type { Cluster } from './cluster.js';
import { STANDBY_MARK } from './standby-signal.js';

/** standby.signal, ours: the node starts as a standby of its peer (primary_conninfo is in the conf.d file). */
export function standbySignalAction(cluster: Pick<Cluster, 'dataDir'>): FileAction {
  return {
    kind: 'file',
    id: 'postgresql.standby-signal',
    title: `Mark the node a standby: ${cluster.dataDir}/standby.signal`,
    path: `${cluster.dataDir}/standby.signal`,
    content: STANDBY_MARK,
    mode: 0o600,
    owner: 'postgres',
  };
}
