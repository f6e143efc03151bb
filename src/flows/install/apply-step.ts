import type { Answers } from '../../answers/types.js';
import { onThisNode } from '../printed.js';
import { version } from '../../version.js';
import { readLocal } from '../../../installers/postgresql/live.js';
import { clusterRef } from '../../../installers/postgresql/context.js';
import { writeState, type NodeState } from '../state.js';
import { replicates, type InstallContext } from '../context.js';

/** After the apply: the node's state (the pair, read back from PostgreSQL where there is one) and the next steps. */
export async function recordInstall(ctx: InstallContext): Promise<void> {
  const a = ctx.answers as Answers;
  const nodes = a.masterIp && a.slaveIp ? [a.masterIp, a.slaveIp].map((address) => ({ address, port: a.pgPort })) : [];
  const state: NodeState = {
    format: 2,
    buildVersion: version,
    installedAs: a.mode,
    self: a.mode === 'master' ? a.masterIp : a.mode === 'slave' ? a.slaveIp : undefined,
    nodes,
    history: [],
    updatedAt: new Date().toISOString(),
  };
  if (replicates(a)) {
    const live = await readLocal(clusterRef({ answers: a, facts: ctx.facts }), ctx.log);
    Object.assign(state, {
      pgVersion: live.cluster.version,
      pgCluster: live.cluster.name,
      pgSocketDir: a.pgSocketDir,
      replicationUser: a.replicationUser,
      slotName: a.slotName,
      synchronous: a.synchronous,
      systemIdentifier: live.systemId,
      history: live.history ?? [],
    });
  }
  writeState(ctx.options.stateDir, state);
  ctx.next.push(...nextSteps(ctx));
}

/** Next steps, as the admin needs them after each mode, in commands that work as printed. */
export function nextSteps(ctx: Pick<InstallContext, 'answers' | 'invocation' | 'options'>): string[] {
  const { answers } = ctx;
  const status = onThisNode(ctx, ['status']);
  switch (answers.mode) {
    case 'master':
      return [`Now run ha-install on the slave ${answers.slaveIp} and choose 3 (HA slave).`, `Then check the pair with: ${status}`];
    case 'slave':
      return [`This server replicates from the master ${answers.masterIp}.`, `Check the pair with: ${status}`];
    case 'load-balancer':
      return ['HAProxy is installed. Its configuration for the pair comes with a later version of ha-install.'];
    default:
      return ['The standalone server is ready.'];
  }
}
