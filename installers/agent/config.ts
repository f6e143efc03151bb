import type { ClusterRef } from '../postgresql/cluster.js';

/**
 * What `ha-install agent CONFIG` reads: written by the master and slave installs next to the
 * cluster's configuration, no secret in it (the agent logs in over the Unix socket by peer
 * authentication, mapped in pg_ident.conf from the OS user postgres to AGENT_ROLE).
 */
export interface AgentConfig {
  /** `15/main`, as the answers and the server log name it. */
  cluster: string;
  version: number;
  name: string;
  /** The node's own address and the agent's port: never 0.0.0.0. */
  listen: { host: string; port: number };
  socketDir: string;
  pgPort: number;
  database: string;
  user: string;
  dataDir: string;
  /** Each probe answers within this, or the answer is 503. */
  timeoutMs: number;
  /** Where the runtime fence lives (installers/postgresql/fence.ts); the default in production. */
  fenceDir?: string;
}

/** The PostgreSQL role the agent logs in as: pg_monitor, no password, no write. */
export const AGENT_ROLE = 'ha_install_agent';
/** The pg_ident.conf map that lets the OS user postgres log in as AGENT_ROLE over the socket. */
export const AGENT_IDENT_MAP = 'ha_install_agent';
export const AGENT_ROLE_MARKER = 'ha-install health agent role';
export const AGENT_OS_USER = 'postgres';

export const agentConfigPath = (ref: ClusterRef) => `/etc/postgresql/${ref.version}/${ref.name}/ha-install-agent.json`;
export const agentServiceName = (ref: ClusterRef) => `ha-install-agent-${ref.version}-${ref.name.replaceAll('_', '-').toLowerCase()}`;
