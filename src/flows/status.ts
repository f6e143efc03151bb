import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { eventLogPath, type EventRecord } from '../../installers/monitor/events.js';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { readPeer } from '../../installers/postgresql/live.js';
import { passwordFor } from '../../installers/postgresql/pgpass.js';
import { readStandalone, readStatus } from '../../installers/postgresql/status.js';
import { InputError } from '../system/errors.js';
import { asRoot } from '../system/invocation.js';
import type { Logger } from '../system/log.js';
import { peerOf, readState, stateFile, type NodeState } from './state.js';
import { statusText, type PeerSummary, type StatusReport } from './status-lines.js';
import { serviceStatus, type ServiceStatus } from '../../installers/services/state.js';
import { balancerStatus } from './status-balancer.js';

/** The nodes to report on: this node's state, or every demo node's when the demo is up. */
export function statusNodes(stateDir: string): Array<{ name: string; state: NodeState; dir: string }> {
  const own = readState(stateDir);
  if (own) return [{ name: own.self ?? own.installedAs, state: own, dir: stateDir }];
  const demo = join(stateDir, 'demo');
  const found = (existsSync(demo) ? readdirSync(demo).sort() : [])
    .map((entry) => ({ entry, state: existsSync(stateFile(join(demo, entry))) ? readState(join(demo, entry)) : undefined }))
    .filter((d): d is { entry: string; state: NodeState } => d.state !== undefined)
    .map(({ entry, state }) => ({ name: `demo ${state.self ?? state.installedAs}`, state, dir: join(demo, entry) }));
  if (found.length > 0) return found;
  throw new InputError('No ha-install node on this machine.', [
    { field: stateFile(stateDir), message: 'not found', fix: `run the install first (${asRoot([])}), or point --state-dir at the node's state folder` },
  ]);
}

/** The last events of the node's event log (installers/monitor/events.ts), newest last; a damaged line is skipped. */
export function lastEvents(dir: string, count = 5): EventRecord[] {
  const path = eventLogPath(dir);
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-count);
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as EventRecord];
    } catch {
      return [];
    }
  });
}

/** The peer as this node sees it over the network, with the password the install stored. */
async function peerSummary(state: NodeState): Promise<PeerSummary | undefined> {
  const peer = peerOf(state);
  if (!peer || !state.replicationUser) return undefined;
  const password = passwordFor(peer.address, peer.port, state.replicationUser);
  const view = await readPeer({ host: peer.address, port: peer.port, user: state.replicationUser, password: password ?? '', timeoutMs: 2000 });
  return {
    address: peer.address,
    role: view.answered ? view.role! : 'unreachable',
    timeline: view.timeline,
    problem: view.answered ? undefined : view.problem,
    sameSystem: view.systemId === undefined || state.systemIdentifier === undefined ? undefined : view.systemId === state.systemIdentifier,
  };
}

/** The node's services, each one not running a problem of the node's: HAProxy or the agent down means no client gets through. */
async function servicesOf(state: NodeState, problems: string[], log: Logger): Promise<ServiceStatus[]> {
  const services = await Promise.all((state.services ?? []).map((ref) => serviceStatus(ref, log)));
  for (const s of services) if (s.state !== 'running') problems.push(`the service ${s.name} is ${s.state}${s.detail ? ` (${s.detail})` : ''}`);
  return services;
}

export async function collectStatus(stateDir: string, log: Logger): Promise<StatusReport> {
  const nodes = await Promise.all(
    statusNodes(stateDir).map(async ({ name, state, dir }) => {
      const events = lastEvents(dir);
      if (state.balancer) {
        const { status, servers } = await balancerStatus(state.balancer);
        const services = await servicesOf(state, status.problems, log);
        status.healthy = status.problems.length === 0;
        return { name, address: state.self, installedAs: state.installedAs, status, services, servers, history: state.history, events };
      }
      if (state.pgVersion === undefined || state.pgCluster === undefined) {
        // A standalone install: no replication of its own to report.
        const status = { cluster: '-', role: 'down' as const, healthy: true, problems: [] };
        return { name, address: state.self, installedAs: state.installedAs, status, history: state.history };
      }
      if (state.installedAs === 'standalone') {
        const status = await readStandalone({ version: state.pgVersion, name: state.pgCluster }, log);
        return { name, address: state.self, installedAs: state.installedAs, status, history: state.history };
      }
      const [status, peer] = await Promise.all([
        readStatus({ cluster: { version: state.pgVersion!, name: state.pgCluster! }, slotName: state.slotName, log }),
        peerSummary(state),
      ]);
      const services = await servicesOf(state, status.problems, log);
      status.healthy = status.problems.length === 0;
      // Two primaries of one pair is the split brain the tool exists to prevent: say it loudly.
      if (status.role === 'primary' && peer?.role === 'primary' && peer.sameSystem !== false) {
        status.problems.unshift(`TWO PRIMARIES: ${peer.address} is a primary too (timeline ${peer.timeline ?? '?'}, this node ${status.timeline ?? '?'})`);
        status.healthy = false;
      }
      if (status.role === 'standby' && peer?.role === 'standby') {
        status.problems.unshift(`NO PRIMARY: ${peer.address} is a standby too (a switchover that did not finish: run it again)`);
        status.healthy = false;
      }
      return { name, address: state.self, installedAs: state.installedAs, status, peer, services, history: state.history, events };
    }),
  );
  return { nodes, healthy: nodes.length > 0 && nodes.every((n) => n.status.healthy), at: new Date().toISOString() };
}

/**
 * `ha-install status`: exit 0 only when the pair is healthy, so monitoring can call it.
 * --json prints one JSON document (one per refresh with --watch); a terminal gets the ink
 * dashboard; anything else gets plain text.
 */
export async function statusCommand(options: { stateDir: string; json: boolean; watch: boolean; log: Logger }): Promise<boolean> {
  const tty = Boolean(process.stdout.isTTY) && !options.json;
  let report = await collectStatus(options.stateDir, options.log);
  if (!tty) {
    for (;;) {
      process.stdout.write(options.json ? JSON.stringify(report) + '\n' : statusText(report) + '\n');
      if (!options.watch) return report.healthy;
      await delay(2000);
      report = await collectStatus(options.stateDir, options.log);
    }
  }
  const [{ render }, React, { StatusView }] = await Promise.all([import('ink'), import('react'), import('../ui/status-view.js')]);
  const view = render(React.createElement(StatusView, { report, watching: options.watch }));
  while (options.watch) {
    await delay(2000);
    report = await collectStatus(options.stateDir, options.log);
    view.rerender(React.createElement(StatusView, { report, watching: true }));
  }
  const exited = view.waitUntilExit(); // asked before unmount, or it never settles
  view.unmount();
  await exited;
  return report.healthy;
}
