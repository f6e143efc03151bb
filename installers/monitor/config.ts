import { dirname, join } from 'node:path';
import type { ClusterRef } from '../postgresql/cluster.js';
import type { Timings } from './decide.js';

/**
 * What `ha-install monitor CONFIG` reads, written by the master and slave installs (the same
 * monitor on both nodes: what it does follows the node's live role). No secret in it: the
 * replication role's password is read from the postgres user's .pgpass, as every flow does.
 */
export interface MonitorConfig {
  cluster: string;
  version: number;
  name: string;
  dataDir: string;
  self: string;
  /** This node's health agent: its role, timeline and fence, without a database login. */
  agent: { host: string; port: number };
  /** agent.timeout-ms: an agent answers within it (503 when PostgreSQL is slower). */
  agentTimeoutMs: number;
  peer: { host: string; pgPort: number; agentPort: number };
  replicationUser: string;
  passfile: string;
  /** The balancer's witness; none: the ping targets are the only guard. */
  witness?: { host: string; port: number };
  pingTargets: string[];
  /** Ask the default gateway too (failover.ping-gateway); absent in older settings: yes. */
  pingGateway?: boolean;
  timings: Timings;
  /** The node's state and log folders: promote runs through them, events.jsonl lives in the state folder. */
  stateDir: string;
  logDir: string;
  events: { script?: string; timeoutSeconds: number };
  init: 'systemd' | 'none';
  /** The command that brings this node back once fenced (the start guard's, with this build's runtime). */
  restore: string;
}

export const monitorConfigPath = (ref: ClusterRef) => `/etc/postgresql/${ref.version}/${ref.name}/ha-install-monitor.json`;
export const monitorServiceName = (ref: ClusterRef) => `ha-install-monitor-${ref.version}-${ref.name.replaceAll('_', '-').toLowerCase()}`;

/** What `ha-install witness CONFIG` reads on the balancer: the pair it looks at and is asked about. */
export interface WitnessConfig {
  listen: { host: string; port: number };
  nodes: Array<{ host: string; agentPort: number; pgPort: number }>;
  intervalMs: number;
  timeoutMs: number;
  /** How long a look at an agent may take: the agent's own timeout and a margin (patienceOf). */
  patienceMs: number;
}

/** How long a look at an agent waits: its own timeout, and half a second for the HTTP around it (HAProxy allows a second more). */
export const patienceOf = (config: { agentTimeoutMs: number }) => config.agentTimeoutMs + 500;

/** The witness belongs to the balancer's configuration: next to it, named after it (the demo's has its own). */
export const witnessConfigPath = (haproxyConfig: string) => join(dirname(haproxyConfig), 'ha-install-witness.json');
export const witnessServiceName = (haproxyServiceName: string) => haproxyServiceName.replace(/^ha-install-haproxy/, 'ha-install-witness');
