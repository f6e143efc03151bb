import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { readStatus } from '../../installers/postgresql/status.js';
import { InputError } from '../system/errors.js';
import type { Logger } from '../system/log.js';
import { readState, stateFile, type NodeState } from './state.js';
import { statusText, type StatusReport } from './status-lines.js';

/** The nodes to report on: this node's state, or both demo nodes when the demo is up. */
export function statusNodes(stateDir: string): Array<{ name: string; state: NodeState }> {
  const own = readState(stateDir);
  if (own) return [{ name: own.mode === 'slave' ? 'slave' : 'master', state: own }];
  const demo = ['master', 'slave'].map((name) => ({ name: `demo ${name}`, state: readState(join(stateDir, 'demo', name)) }));
  const found = demo.filter((d): d is { name: string; state: NodeState } => d.state !== undefined);
  if (found.length > 0) return found;
  throw new InputError('No ha-install node on this machine.', [
    { field: stateFile(stateDir), message: 'not found', fix: 'run the install first (sudo ha-install), or point --state-dir at the node\'s state folder' },
  ]);
}

export async function collectStatus(stateDir: string, log: Logger): Promise<StatusReport> {
  const nodes = await Promise.all(
    statusNodes(stateDir).map(async ({ name, state }) => ({
      name,
      address: state.mode === 'slave' ? state.slaveIp : state.masterIp,
      status: await readStatus({ cluster: { version: state.pgVersion!, name: state.pgCluster! }, slotName: state.mode === 'master' ? state.slotName : undefined, log }),
    })),
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
