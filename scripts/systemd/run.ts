/**
 * `npm run test:systemd`: the end-to-end cases that differ under systemd, run in a booted
 * Debian 12 (systemd-nspawn) from the cached root filesystem. Prints one line per case in
 * ava's format (`  ✔ systemd › <case>` / `  ✘ systemd › <case>`), which .ci/run counts with
 * ava's own. A container that cannot boot is a failure of every case, never a skip. Powers
 * the container off and removes its layer at the end, on a failure and on Ctrl-C or SIGTERM.
 */
import { cases } from '../../test/systemd/cases/index.js';
import type { Container } from './container.js';
import { caseContext, prepareContainer, say, seconds, stopOnSignals } from './bed.js';

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

let box: Container | undefined;
const stopping = stopOnSignals(() => box);

async function main(): Promise<number> {
  const started = performance.now();
  box = await timed('root filesystem + copy in', prepareContainer);
  const container = box;
  let [passed, failed] = [0, 0];
  const report = (ok: boolean, title: string, ms: number, detail = '') => {
    if (stopping()) return; // a case cut short by Ctrl-C is neither
    ok ? passed++ : failed++;
    process.stdout.write(`  ${ok ? '✔' : '✘'} systemd › ${title} (${seconds(ms)})\n${detail.trim() ? indent(detail) + '\n' : ''}`);
  };
  try {
    const bootStart = performance.now();
    const booted = await timed('boot', () => container.boot()).then(() => undefined, (error: unknown) => error as Error);
    report(!booted, 'the container boots: systemctl is-system-running says running', performance.now() - bootStart, booted?.message);
    const notes: string[] = [];
    const ctx = caseContext(container, timed, notes);
    const casesStart = performance.now();
    for (const c of cases) {
      if (stopping()) break;
      notes.length = 0;
      if (booted || !container.running) {
        report(false, c.title, 0, booted ? 'not run: the container did not boot' : 'not run: the container is not running');
        continue;
      }
      const caseStart = performance.now();
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
