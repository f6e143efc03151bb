import type { Answers } from '../../answers/types.js';
import { onThisNode } from '../printed.js';
import { version } from '../../version.js';
import { readLocal } from '../../../installers/postgresql/live.js';
import { clusterRef } from '../../../installers/postgresql/context.js';
import { writeState, type NodeState } from '../state.js';
import { replicates, type InstallContext } from '../context.js';
import { agentServiceName } from '../../../installers/agent/config.js';
import { monitorServiceName } from '../../../installers/monitor/config.js';
import { witnessService } from '../../../installers/monitor/plan.js';
import { statsPasswordPath } from '../../../installers/haproxy/render.js';
import { balancerService } from '../../../installers/haproxy/service.js';
import { hostPort } from '../../system/address.js';
import { serviceLogDir } from './preflight.js';

/** After the apply: the node's state (the pair, read back from PostgreSQL where there is one) and the next steps. */
export async function recordInstall(ctx: InstallContext): Promise<void> {
  const a = ctx.answers as Answers;
  const nodes = a.masterIp && a.slaveIp ? [a.masterIp, a.slaveIp].map((address) => ({ address, port: a.pgPort })) : [];
  const state: NodeState = {
    format: 2,
    buildVersion: version,
    installedAs: a.mode,
    self: a.mode === 'master' ? a.masterIp : a.mode === 'slave' ? a.slaveIp : a.mode === 'load-balancer' ? a.balancerIp : undefined,
    nodes,
    history: [],
    updatedAt: new Date().toISOString(),
  };
  if (a.mode === 'load-balancer') {
    const service = balancerService(a, ctx.facts.init, serviceLogDir(ctx));
    state.services = [service.ref, ...(a.failoverAutomatic ? [{ kind: 'ha-install' as const, name: witnessService(a), init: ctx.facts.init, ready: { host: a.balancerIp!, port: a.witnessPort } }] : [])];
    state.balancer = { address: a.balancerIp!, port: a.balancerPort, statsPort: a.statsPort, config: a.haproxyConfig, statsSocket: service.statsSocket };
  }
  if (replicates(a)) {
    const ref = clusterRef({ answers: a, facts: ctx.facts });
    state.services = [
      { kind: 'ha-install', name: agentServiceName(ref), init: ctx.facts.init, ready: { host: a.mode === 'master' ? a.masterIp : a.slaveIp, port: a.agentPort } },
      ...(a.failoverAutomatic ? [{ kind: 'ha-install' as const, name: monitorServiceName(ref), init: ctx.facts.init }] : []),
    ];
    const live = await readLocal(ref, ctx.log);
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
export function nextSteps(ctx: Pick<InstallContext, 'answers' | 'invocation' | 'options'> & { secrets?: Record<string, string> }): string[] {
  const { answers } = ctx;
  const status = onThisNode(ctx, ['status']);
  switch (answers.mode) {
    case 'master':
      return [`Now run ha-install on the slave ${answers.slaveIp} and choose 3 (HA slave).`, `Then check the pair with: ${status}`, ...balancerHint(answers)];
    case 'slave':
      return [`This server replicates from the master ${answers.masterIp}.`, `Check the pair with: ${status}`, ...balancerHint(answers)];
    case 'load-balancer': {
      const password = ctx.secrets?.statsPassword;
      return [
        `Clients connect to ${hostPort(answers.balancerIp!, answers.balancerPort!)} with their own PostgreSQL role and password; HAProxy sends them to the writable primary.`,
        password
          ? `Stats page: http://${hostPort(answers.balancerIp!, answers.statsPort!)}/ user admin, password ${password} (shown this once; kept root-only in ${statsPasswordPath(answers.haproxyConfig!)})`
          : `Stats page: http://${hostPort(answers.balancerIp!, answers.statsPort!)}/ user admin, password in ${statsPasswordPath(answers.haproxyConfig!)} (root only)`,
        `Check the balancer with: ${status}`,
      ];
    }
    default:
      return ['The standalone server is ready.'];
  }
}

/** A database node without a balancer address admits no client through one. */
function balancerHint(answers: InstallContext['answers']): string[] {
  return answers.balancerIp
    ? [`Clients may come through the load balancer ${answers.balancerIp}: install it with mode 4 there.`]
    : ['No load balancer address was given (balancer-ip): clients through one are not admitted; run the install again with --balancer-ip when there is one.'];
}
