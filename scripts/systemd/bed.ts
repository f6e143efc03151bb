import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HA_INSTALL, type CaseContext } from '../../test/systemd/case.js';
import { Container, otherRunsLive, sweepRuns } from './container.js';
import { ensureRootfs } from './rootfs.js';

/** What the systemd cases and the systemd benchmark share: a seeded container, the case context, the signal handling. */

const root = fileURLToPath(new URL('../..', import.meta.url));
export const say = (line: string): void => void process.stderr.write(`systemd: ${line}\n`);
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** The root filesystem (built when missing), a run layer, and node + the built project copied in before the first boot. */
export async function prepareContainer(): Promise<Container> {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  sweepRuns();
  const box = new Container(await ensureRootfs(say, otherRunsLive));
  mkdirSync(join(box.upper, 'usr/local/bin'), { recursive: true });
  cpSync(process.execPath, join(box.upper, 'usr/local/bin/node'));
  for (const entry of ['bin', 'dist', 'templates', 'package.json']) cpSync(join(root, entry), join(box.upper, 'opt/ha-install', entry), { recursive: true });
  return box;
}

export function caseContext(box: Container, timed: <T>(what: string, work: () => Promise<T>) => Promise<T>, notes: string[]): CaseContext {
  return {
    box,
    cli: (args, options) => box.exec(['node', HA_INSTALL, ...args], options),
    reboot: async () => {
      await timed('poweroff (reboot)', () => box.poweroff());
      await timed('boot (reboot)', () => box.boot());
    },
    note: (line) => notes.push(line),
    memo: new Map(),
  };
}

/**
 * Ctrl-C and SIGTERM power the container off (killing it if it does not go within 15 s),
 * remove its layer and exit 130. Returns whether a signal came, for loops to stop at.
 */
export function stopOnSignals(current: () => Container | undefined): () => boolean {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: powering the container off`);
    await current()?.poweroff(15_000).catch((error: unknown) => say(String(error)));
    await current()?.dispose();
    process.exit(130);
  };
  process.on('SIGINT', (s) => void stop(s));
  process.on('SIGTERM', (s) => void stop(s));
  return () => stopping;
}
