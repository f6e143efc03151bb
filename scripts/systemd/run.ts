/**
 * `npm run test:systemd`: the end-to-end cases that differ under systemd, run in a booted
 * Debian 12 (systemd-nspawn) from the cached root filesystem. Prints one line per case in
 * ava's format (`  ✔ systemd › <case>` / `  ✘ systemd › <case>`), which .ci/run counts with
 * ava's own. A container that cannot boot is a failure of every case, never a skip. Powers
 * the container off and removes its layer at the end, on a failure and on Ctrl-C or SIGTERM.
 */
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cases } from '../../test/systemd/cases/index.js';
import { HA_INSTALL, type CaseContext } from '../../test/systemd/case.js';
import { Container, otherRunsLive, sweepRuns } from './container.js';
import { ensureRootfs } from './rootfs.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const say = (line: string) => process.stderr.write(`systemd: ${line}\n`);
const indent = (text: string) => text.trim().split('\n').map((l) => `    ${l}`).join('\n');
const timings: string[] = [];

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings.push(`${what} ${seconds(performance.now() - started)}`);
  }
}

/** node from the host and the built project, into the run's layer before the first boot. */
function seed(box: Container): void {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  mkdirSync(join(box.upper, 'usr/local/bin'), { recursive: true });
  cpSync(process.execPath, join(box.upper, 'usr/local/bin/node'));
  for (const entry of ['bin', 'dist', 'templates', 'package.json']) cpSync(join(root, entry), join(box.upper, 'opt/ha-install', entry), { recursive: true });
}

let box: Container | undefined;
let stopping = false;

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`${signal}: powering the container off`);
  await box?.poweroff(15_000).catch((error: unknown) => say(String(error)));
  await box?.dispose();
  process.exit(130);
}
process.on('SIGINT', (s) => void shutdown(s));
process.on('SIGTERM', (s) => void shutdown(s));

async function main(): Promise<number> {
  const started = performance.now();
  sweepRuns();
  const lower = await timed('root filesystem', () => ensureRootfs(say, otherRunsLive));
  box = new Container(lower);
  const container = box;
  let passed = 0;
  let failed = 0;
  const report = (ok: boolean, title: string, ms: number, detail = '') => {
    ok ? passed++ : failed++;
    process.stdout.write(`  ${ok ? '✔' : '✘'} systemd › ${title} (${seconds(ms)})\n${detail ? indent(detail) + '\n' : ''}`);
  };
  try {
    await timed('copy in', async () => seed(container));
    const bootStart = performance.now();
    const booted = await timed('boot', () => container.boot()).then(() => undefined, (error: unknown) => error as Error);
    report(!booted, 'the container boots: systemctl is-system-running says running', performance.now() - bootStart, booted?.message);
    const notes: string[] = [];
    const ctx: CaseContext = {
      box: container,
      cli: (args, options) => container.exec(['node', HA_INSTALL, ...args], options),
      reboot: async () => {
        await timed('poweroff (reboot)', () => container.poweroff());
        await timed('boot (reboot)', () => container.boot());
      },
      note: (line) => notes.push(line),
      memo: new Map(),
    };
    const casesStart = performance.now();
    for (const c of cases) {
      const caseStart = performance.now();
      notes.length = 0;
      if (stopping) break;
      if (!container.running) {
        report(false, c.title, 0, booted ? 'not run: the container did not boot' : 'not run: the container is not running');
        continue;
      }
      const error = await c.run(ctx).then(() => undefined, (e: unknown) => (e instanceof Error ? e : new Error(String(e))));
      report(!error, c.title, performance.now() - caseStart, [...notes, error?.message ?? ''].join('\n'));
    }
    timings.push(`cases ${seconds(performance.now() - casesStart)}`);
    if (container.running) await timed('poweroff', () => container.poweroff());
  } finally {
    await container.dispose();
  }
  process.stdout.write(`\n  ${failed === 0 ? `${passed} systemd cases passed` : `${failed} systemd case${failed === 1 ? '' : 's'} failed`}\n`);
  say(`${timings.join(', ')}; total ${seconds(performance.now() - started)}`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main().catch((error: unknown) => {
  process.stdout.write(`  ✘ systemd › the test bed is set up\n${indent(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
  return 1;
});
