import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { run } from '../../src/system/exec.js';
import type { Logger } from '../../src/system/log.js';
import { describeCluster, type ClusterRef } from './cluster.js';
import { setupLoopback, teardownLoopback, type LoopbackChange } from './loopback.js';

/**
 * The demo pair on one machine: ha_demo_11 on 127.0.0.11 and ha_demo_12 on 127.0.0.12, both on
 * port 5440, each with its own socket directory; the balancer's address 127.0.0.10 beside them
 * (HAProxy binds it and leaves from it, so it needs no route of its own). Named by address, not role (roles change), and
 * without a dash: Debian's postgresql@.service reads the instance `15-ha_demo_11` back as the
 * path 15/ha_demo_11, and would read a dash as a slash. `demoUp` records what it changed;
 * `demoDown` undoes exactly that (save the state as JSON between the two). See clusterNameRow.
 */

/** What the demo lets an admin choose (`ha-install demo --port ...`); the rest of its layout follows. */
export interface DemoChoices {
  port: number;
  /** The cluster names' prefix; also names the balancer's configuration and the demo's client role. */
  prefix: string;
  balancerPort: number;
  agentPort: number;
  statsPort: number;
  /** The failover witness's port on the balancer. */
  witnessPort: number;
  /** The failover monitor on both nodes and the witness (default); false: failover is `promote` by hand. */
  automatic: boolean;
  /** Synchronous replication: no acknowledged commit lost on failover. */
  synchronous: boolean;
  /** The event script both monitors run (answers' events.script). */
  eventScript?: string;
}

export interface DemoOptions extends DemoChoices {
  version: number;
  master: { address: string; cluster: string };
  slave: { address: string; cluster: string };
  /** The third server: HAProxy, in front of the pair. */
  balancer: { address: string };
  extraAddresses?: string[];
}

export type DemoPorts = Partial<DemoChoices>;

export const demoDefaults = (version: number, options: DemoPorts = {}): DemoOptions => ({
  version,
  port: options.port ?? 5440,
  prefix: options.prefix ?? 'ha_demo',
  master: { address: '127.0.0.11', cluster: `${options.prefix ?? 'ha_demo'}_11` },
  slave: { address: '127.0.0.12', cluster: `${options.prefix ?? 'ha_demo'}_12` },
  balancer: { address: '127.0.0.10' },
  balancerPort: options.balancerPort ?? 15432,
  agentPort: options.agentPort ?? 25432,
  statsPort: options.statsPort ?? 7000,
  witnessPort: options.witnessPort ?? 25433,
  automatic: options.automatic ?? true,
  synchronous: options.synchronous ?? false,
  ...(options.eventScript ? { eventScript: options.eventScript } : {}),
});

export interface DemoState {
  loopback: LoopbackChange[];
  /** Clusters demoUp created (demoDown drops only these). */
  clusters: ClusterRef[];
}

export const demoSocketDir = (cluster: string): string => `/var/run/postgresql/${cluster}`;

/** Creates a stopped cluster with its own socket directory unless it exists; true when created. */
export async function ensureCluster(ref: ClusterRef, port: number, log: Logger): Promise<boolean> {
  if ((await describeCluster(ref, log)).exists) return false;
  await run(['pg_createcluster', String(ref.version), ref.name, '--port', String(port), '--socketdir', demoSocketDir(ref.name)], log, {
    title: `Creating the demo cluster ${ref.version}/${ref.name}`,
  });
  return true;
}

export async function demoUp(options: Pick<DemoOptions, 'version' | 'port' | 'master' | 'slave' | 'extraAddresses'> & { balancer?: { address: string } }, log: Logger): Promise<DemoState> {
  const state: DemoState = { loopback: [], clusters: [] };
  try {
    const extra = [...(options.balancer ? [options.balancer.address] : []), ...(options.extraAddresses ?? [])];
    state.loopback = await setupLoopback({ master: options.master.address, slave: options.slave.address, extra }, log);
    for (const node of [options.master, options.slave]) {
      const ref = { version: options.version, name: node.cluster };
      if (await ensureCluster(ref, options.port, log)) state.clusters.push(ref);
    }
  } catch (error) {
    await demoDown(state, log);
    throw error;
  }
  return state;
}

/**
 * Drops the clusters demoUp created (with their configuration directory, moved-aside and
 * unfinished-clone data directories: demo data only), then undoes the loopback changes.
 */
export async function demoDown(state: DemoState, log: Logger): Promise<void> {
  for (const ref of state.clusters) {
    const cluster = await describeCluster(ref, log);
    if (cluster.exists) await run(['pg_dropcluster', '--stop', String(ref.version), ref.name], log, { reject: false, title: `Dropping ${ref.version}/${ref.name}` });
    const parent = dirname(cluster.dataDir);
    const prefix = basename(cluster.dataDir);
    for (const entry of existsSync(parent) ? readdirSync(parent) : []) {
      if (entry === `${prefix}.partial` || entry.startsWith(`${prefix}.ha-install-`)) await rm(join(parent, entry), { recursive: true, force: true });
    }
    await rm(demoSocketDir(ref.name), { recursive: true, force: true });
    // pg_dropcluster leaves files it did not create (our conf.d file): the next demo must start clean.
    await rm(cluster.confDir, { recursive: true, force: true });
    // A cluster that died (the demo's failover lines kill the master) leaves its unit failed
    // under systemd: the unit goes with the cluster. Nothing to do without systemd.
    if (existsSync('/run/systemd/system')) await run(['systemctl', 'reset-failed', `postgresql@${ref.version}-${ref.name}.service`], log, { reject: false, title: 'Forgetting the cluster unit\'s failed state' });
  }
  await teardownLoopback(state.loopback, log);
}

/** Removes the .pgpass lines for these hosts on this port (what the demo installs added). */
export function removePgpassEntries(path: string, hosts: string[], port: number): void {
  if (!existsSync(path)) return;
  const prefixes = hosts.map((h) => `${h.replaceAll(':', '\\:')}:${port}:`);
  const kept = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !prefixes.some((p) => line.startsWith(p)));
  writeFileSync(path, kept.length ? `${kept.join('\n')}\n` : '', { mode: 0o600 });
}
