import { join } from 'node:path';
import type { Answers } from '../../src/answers/types.js';
import { settingsFileAction, type Action } from '../../src/engine/actions.js';
import { runtimeFor, type Runtime } from '../../src/system/runtime.js';
import { agentServiceName } from '../agent/config.js';
import { DEFAULT_LOG_DIR } from '../agent/plan.js';
import { haproxyServiceName } from '../haproxy/service.js';
import type { Cluster } from '../postgresql/cluster.js';
import { clusterRef, nodes, pgpassPath, type PostgresqlContext } from '../postgresql/context.js';
import { guardConfig } from '../postgresql/guard-plan.js';
import { serviceActions } from '../services/plan.js';
import type { ServiceSpec } from '../services/spec.js';
import { patienceOf, monitorConfigPath, monitorServiceName, witnessConfigPath, witnessServiceName, type MonitorConfig, type WitnessConfig } from './config.js';
import type { Timings } from './decide.js';

/**
 * The failover monitor on each database node (the same service on both: what it does follows
 * the node's live role), and the witness on the balancer. Both are ha-install services
 * (installers/services), run from this build's runtime copy; their settings files hold no
 * secret. Planned only with failover.automatic (the default).
 */

export function timingsOf(answers: Pick<Answers, 'failoverIntervalMs' | 'failoverCheckTimeoutMs' | 'failoverFailures' | 'failoverAfterSeconds' | 'fenceAfterSeconds'>): Timings {
  return {
    intervalMs: answers.failoverIntervalMs,
    checkTimeoutMs: answers.failoverCheckTimeoutMs,
    failures: answers.failoverFailures,
    failoverAfterMs: Math.round(answers.failoverAfterSeconds * 1000),
    fenceAfterMs: Math.round(answers.fenceAfterSeconds * 1000),
  };
}

export function monitorConfig(ctx: PostgresqlContext, cluster: Cluster, runtime: Runtime): MonitorConfig {
  const a = ctx.answers;
  const ref = clusterRef(ctx);
  const { self, peer } = nodes(a);
  return {
    cluster: `${ref.version}/${ref.name}`,
    version: ref.version,
    name: ref.name,
    dataDir: cluster.dataDir,
    self,
    agent: { host: self, port: a.agentPort },
    agentTimeoutMs: a.agentTimeoutMs,
    peer: { host: peer, pgPort: a.pgPort, agentPort: a.agentPort },
    replicationUser: a.replicationUser,
    passfile: pgpassPath(ctx),
    ...(a.balancerIp ? { witness: { host: a.balancerIp, port: a.witnessPort } } : {}),
    pingTargets: a.pingTargets,
    pingGateway: a.pingGateway,
    timings: timingsOf(a),
    stateDir: ctx.stateDir ?? '/var/lib/ha-install',
    logDir: ctx.logDir ?? DEFAULT_LOG_DIR,
    events: { ...(a.eventScript ? { script: a.eventScript } : {}), timeoutSeconds: a.eventTimeoutSeconds },
    init: ctx.facts.init,
    restore: guardConfig(ctx, cluster, runtime).restore,
  };
}

export function monitorSpec(ctx: PostgresqlContext, runtime: Runtime): ServiceSpec {
  const ref = clusterRef(ctx);
  const name = monitorServiceName(ref);
  const { self, peer } = nodes(ctx.answers);
  return {
    name,
    description: `ha-install failover monitor of PostgreSQL ${ref.version}/${ref.name} on ${self} (peer ${peer})`,
    argv: [...runtime.argv, 'monitor', monitorConfigPath(ref)],
    // Root: it promotes this node, stops its postmaster when fencing, and runs the event script as root.
    user: 'root',
    log: join(ctx.logDir ?? DEFAULT_LOG_DIR, `${name}.log`),
    after: [`postgresql@${ref.version}-${ref.name}.service`, `${agentServiceName(ref)}.service`],
  };
}

/** The monitor's settings and service, after the agent (it looks at this node through it). */
export function monitorActions(ctx: PostgresqlContext, cluster: Cluster, runtime = runtimeFor()): Action[] {
  if (!ctx.answers.failoverAutomatic) return [];
  const ref = clusterRef(ctx);
  const config = settingsFileAction('monitor.config', `Write the failover monitor's settings ${monitorConfigPath(ref)}`, monitorConfigPath(ref), monitorConfig(ctx, cluster, runtime));
  return [config, ...serviceActions(monitorSpec(ctx, runtime), { init: ctx.facts.init, runtime, restartOn: [config.id] })];
}

/** What the install says about its guard against a false failover, plainly. */
export function monitorNotes(answers: Pick<Answers, 'failoverAutomatic' | 'balancerIp' | 'pingTargets' | 'witnessPort'>): string[] {
  if (!answers.failoverAutomatic) return ['automatic failover is off (failover.automatic: false): when the master dies, run promote on the slave'];
  if (answers.balancerIp) return [`automatic failover: the balancer ${answers.balancerIp} is the witness (port ${answers.witnessPort}); install it with mode 4 for the failover to be possible`];
  return [
    `automatic failover WITHOUT a witness (no balancer-ip): the default gateway and the ping targets (${answers.pingTargets.join(', ') || 'none given'}) are the only guard against a false failover, and a master cut off from its slave cannot tell it from a dead slave. Give balancer-ip for a witness`,
  ];
}

export function witnessConfig(answers: Answers): WitnessConfig {
  return {
    listen: { host: answers.balancerIp!, port: answers.witnessPort },
    nodes: [answers.masterIp, answers.slaveIp].map((host) => ({ host, agentPort: answers.agentPort, pgPort: answers.pgPort })),
    intervalMs: answers.failoverIntervalMs,
    timeoutMs: answers.failoverCheckTimeoutMs,
    patienceMs: patienceOf(answers),
  };
}

/** The witness on the balancer: its settings next to HAProxy's configuration, and its service. */
export function witnessActions(answers: Answers, options: { init: 'systemd' | 'none'; logDir: string; runtime: Runtime }): Action[] {
  if (!answers.failoverAutomatic) return [];
  const path = witnessConfigPath(answers.haproxyConfig);
  const name = witnessServiceName(haproxyServiceName(answers.haproxyConfig));
  const config = settingsFileAction('witness.config', `Write the failover witness's settings ${path}`, path, witnessConfig(answers), { recorded: false });
  const spec: ServiceSpec = {
    name,
    description: `ha-install failover witness for the pair ${answers.masterIp} and ${answers.slaveIp}, on ${answers.balancerIp}:${answers.witnessPort}`,
    argv: [...options.runtime.argv, 'witness', path],
    // Root only to read its settings next to HAProxy's; it drops to nobody once they are read (src/cli/run-monitor.ts).
    user: 'root',
    log: join(options.logDir, `${name}.log`),
    ready: { host: answers.balancerIp!, port: answers.witnessPort },
  };
  return [config, ...serviceActions(spec, { init: options.init, runtime: options.runtime, restartOn: [config.id] })];
}

export const witnessService = (answers: Pick<Answers, 'haproxyConfig'>) => witnessServiceName(haproxyServiceName(answers.haproxyConfig));
