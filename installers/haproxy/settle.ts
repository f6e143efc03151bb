import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { StepAction } from '../../src/engine/actions.js';
import { balancedServers, statsCommand } from './stats.js';

/**
 * Two steps around HAProxy's (re)start. HAProxy 2.6 starts every server as UP until its first
 * check says otherwise (3.1's `init-state down` ends that), so for up to one check interval a
 * standby, even a fenced old master, would look like a place to send clients. Before a reload
 * the servers' states are saved where the configuration's `server-state-file` points (a
 * reload then starts from them); after the start the plan waits until every server has been
 * checked once and says which one is the primary.
 */

export function saveStatesStep(socket: string, stateFile: string): StepAction {
  return {
    kind: 'step',
    id: 'haproxy.save-states',
    title: 'Keep HAProxy\'s server states across the reload',
    detail: [`show servers state on ${socket} into ${stateFile} (none when HAProxy is not running: it then starts from its first checks)`],
    run: async ({ log }) => {
      // "1" alone is the file's version line with no server: HAProxy starts from its checks, without a warning.
      const none = () => writeFileSync(stateFile, '1\n', { mode: 0o600 });
      mkdirSync(dirname(stateFile), { recursive: true, mode: 0o755 });
      if (!existsSync(socket)) {
        none();
        return 'HAProxy is not running: no states to keep';
      }
      try {
        const states = await statsCommand(socket, 'show servers state');
        writeFileSync(`${stateFile}.tmp`, states, { mode: 0o600 });
        renameSync(`${stateFile}.tmp`, stateFile);
        return 'saved';
      } catch (error) {
        // A socket left by an HAProxy that is gone: nothing runs, so the states would be stale.
        log.warn(`no server states saved: ${error instanceof Error ? error.message : String(error)}`);
        none();
        return 'HAProxy does not answer: no states to keep';
      }
    },
  };
}

export function verifyChecksStep(socket: string, timeoutSeconds = 10): StepAction {
  return {
    kind: 'step',
    id: 'haproxy.verify',
    title: 'Wait until HAProxy has checked both database nodes',
    detail: [`read ${socket} until every server's first check is done (at most ${timeoutSeconds} s), then say which one takes the clients`],
    run: async ({ log }) => {
      const deadline = Date.now() + timeoutSeconds * 1000;
      for (;;) {
        const servers = (await balancedServers(socket).catch(() => [])).filter((s) => s.proxy === 'postgresql');
        const checked = servers.length > 0 && servers.every((s) => !s.check.startsWith('INI') && s.check !== '-' && !/ \d+\/\d+$/.test(s.status));
        if (checked || Date.now() > deadline) {
          const up = servers.filter((s) => s.status.startsWith('UP'));
          const summary = servers.map((s) => `${s.name} ${s.status}`).join(', ') || 'no servers read';
          if (!checked) log.warn(`HAProxy's checks did not settle within ${timeoutSeconds} s: ${summary}`);
          return up.length === 1 ? `clients go to ${up[0]!.name} ${up[0]!.address}; ${summary}` : `${summary}${up.length === 0 ? ': no primary to send clients to yet' : ''}`;
        }
        await delay(100);
      }
    },
  };
}
