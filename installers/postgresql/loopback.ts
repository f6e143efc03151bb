import { run } from '../../src/system/exec.js';
import type { Logger } from '../../src/system/log.js';

/**
 * A master and a slave on one machine, each on its own loopback address (127.0.0.11 and
 * 127.0.0.12). Linux sends a connection to any 127.x address from 127.0.0.1 unless the route
 * names another source, and then the peer's /32 pg_hba rule would not match. So each address
 * gets a local route whose source is the *other* node:
 *
 *   ip addr add 127.0.0.11/32 dev lo
 *   ip route replace local 127.0.0.11 dev lo table local proto kernel scope host src 127.0.0.12
 *
 * and vice versa. A connection to the master then comes from 127.0.0.12, as from a real slave.
 * Every change is recorded with its exact undo; teardown replays the undos in reverse.
 */

export interface LoopbackChange {
  what: string;
  argv: string[];
  undo: string[];
}

export interface LoopbackPair {
  master: string;
  slave: string;
  /** Extra addresses to add without routes (the outsider 127.0.0.13 of the tests). */
  extra?: string[];
}

const LOCAL_ONLY = /^127\./;

async function addresses(log: Logger): Promise<Set<string>> {
  const { stdout } = await run(['ip', '-o', '-4', 'addr', 'show', 'dev', 'lo'], log);
  return new Set([...stdout.matchAll(/inet (\S+)\//g)].map((m) => m[1]!));
}

/** The local-table route for exactly this address, as `ip` prints it (without `table local`). */
async function localRoute(address: string, log: Logger): Promise<string | undefined> {
  const { stdout } = await run(['ip', '-o', 'route', 'show', 'table', 'local'], log);
  return stdout.split('\n').find((line) => line.startsWith(`local ${address} `))?.trim();
}

/** The route changes that make connections to `to` leave from `from`. */
function routeArgv(to: string, from: string): string[] {
  return ['ip', 'route', 'replace', 'local', to, 'dev', 'lo', 'table', 'local', 'proto', 'kernel', 'scope', 'host', 'src', from];
}

export async function setupLoopback(pair: LoopbackPair, log: Logger): Promise<LoopbackChange[]> {
  const all = [pair.master, pair.slave, ...(pair.extra ?? [])];
  const outside = all.find((a) => !LOCAL_ONLY.test(a));
  if (outside) throw new Error(`setupLoopback only changes 127.0.0.0/8 addresses, not ${outside}`);
  const changes: LoopbackChange[] = [];
  const apply = async (change: LoopbackChange) => {
    await run(change.argv, log, { title: change.what });
    changes.push(change);
  };
  try {
    const present = await addresses(log);
    for (const address of all) {
      if (present.has(address)) continue;
      await apply({ what: `add ${address} to lo`, argv: ['ip', 'addr', 'add', `${address}/32`, 'dev', 'lo'], undo: ['ip', 'addr', 'del', `${address}/32`, 'dev', 'lo'] });
    }
    for (const [to, from] of [
      [pair.master, pair.slave],
      [pair.slave, pair.master],
    ] as const) {
      const before = await localRoute(to, log);
      if (before?.endsWith(` src ${from}`)) continue;
      const undo = before ? ['ip', 'route', 'replace', ...before.split(/\s+/), 'table', 'local'] : ['ip', 'route', 'del', 'local', to, 'dev', 'lo', 'table', 'local'];
      await apply({ what: `connections to ${to} leave from ${from}`, argv: routeArgv(to, from), undo });
    }
  } catch (error) {
    await teardownLoopback(changes, log);
    throw error;
  }
  return changes;
}

/** Undoes recorded changes in reverse order; an undo that fails is logged and the rest still run. */
export async function teardownLoopback(changes: LoopbackChange[], log: Logger): Promise<void> {
  for (const change of [...changes].reverse()) {
    const result = await run(change.undo, log, { reject: false, title: `undo: ${change.what}` });
    if (result.exitCode !== 0) log.warn(`could not undo "${change.what}": ${result.stderr.trim()}`);
  }
}
