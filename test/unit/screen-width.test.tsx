/** @jsxRuntime automatic */
// tsconfig's `include` leaves out test/, so tsx would compile this file's JSX for the classic runtime.
import test from 'ava';
import { loadFacts } from '../../src/system/facts.js';
import { requirementRows, unattendedHowToGoOn } from '../../src/flows/requirements.js';
import { createLineReporter } from '../../src/prompts/line-reporter.js';
import type { CheckRow } from '../../src/prompts/prompter.js';
import { checkLines } from '../../src/prompts/report-lines.js';
import { formatError, InputError } from '../../src/system/errors.js';
import { wrapLine } from '../../src/system/wrap.js';
import { inkTerminal, waitForFrame } from './helpers/fake-terminal.js';

/** Screens at 80 columns: no line wider, and every word of what was said still whole. */
const wordsOf = (texts: string[]) => texts.flatMap((text) => text.split(/\s+/)).filter((word) => word !== '');

function fits(t: import('ava').ExecutionContext, lines: string[], said: string[], width = 80) {
  t.deepEqual(lines.filter((line) => [...line].length > width), [], `no line is wider than ${width}`);
  const shown = new Set(wordsOf(lines));
  t.deepEqual(wordsOf(said).filter((word) => !shown.has(word)), [], 'every word is whole');
}

const smallVm = loadFacts(new URL('../fixtures/machines/small-vm-2gb.json', import.meta.url).pathname);
const requirements = requirementRows(smallVm, { minRamGb: 4, minCores: 2, minDiskGb: 100, ignoreRequirements: false }, { needRoot: true, howToGoOn: unattendedHowToGoOn });
const reachability: CheckRow[] = [
  { name: 'master 127.0.0.11 (this machine)', measured: '3/3 pings, 0.02 ms round trip', required: 'answers within 2 s', verdict: 'ok' },
  { name: 'slave 127.0.0.12', measured: '3/3 pings, 0.03 ms round trip; tcp/5432 refused in 3 ms: the host is up, nothing listens yet', required: 'answers within 2 s', verdict: 'ok' },
];
const cells = (rows: CheckRow[]) => rows.flatMap((row) => [row.name, row.measured, row.required, row.fix ?? '']);

test('wrapLine breaks at spaces under the text; only a word longer than a line is cut', (t) => {
  t.deepEqual(wrapLine('  - RAM: measured 2.0 GB, required 4 GB', 20), ['  - RAM: measured', '    2.0 GB, required', '    4 GB']);
  t.deepEqual(wrapLine('    fix: free space at /var/lib/postgresql', 24), ['    fix: free space at', '         /var/lib/postgr', '         esql']);
  t.deepEqual(wrapLine('short', 80), ['short']);
});

test('the plain checks tables fit 80 columns, cells wrapping between words in their column', (t) => {
  for (const rows of [requirements, reachability]) {
    const lines = checkLines('Checks', rows, 80);
    fits(t, lines, cells(rows));
  }
  const lines = checkLines('Requirement check', requirements, 80);
  t.regex(lines.join('\n'), /\n {2}Init system {2,}none \(services run under {2,}systemd or none {2,}info\n {25}pg_ctlcluster\/pg_ctl\)\n/, 'a wrapped cell goes on in its own column');
});

test('a final error wraps at 80 columns between words, and stays whole lines without a width', (t) => {
  const error = new InputError(
    'This machine does not meet the requirements: nothing was changed.',
    requirements.filter((row) => row.verdict === 'fail').map((row) => ({ field: row.name, message: `measured ${row.measured}, required ${row.required}`, fix: row.fix })),
    ['Run the wizard again and choose "Go on anyway", or pass --ignore-requirements.'],
  );
  const unwrapped = formatError(error);
  const lines = formatError(error, 80).split('\n');
  fits(t, lines, [unwrapped]);
  t.true(lines.length > unwrapped.split('\n').length);
  t.true(lines.some((line) => /^ {9}\S/.test(line)), 'a fix goes on under its text');
  t.true(unwrapped.split('\n').some((line) => line.length > 80), 'a pipe or a log gets each problem on one line');
});

test('the plain reporter wraps every line to the terminal, and a pipe gets whole lines', (t) => {
  const message = 'This was a dry run: nothing was changed. Run again without --dry-run to apply the plan, then check the pair with its status.';
  for (const columns of [80, undefined]) {
    const written: string[] = [];
    const reporter = createLineReporter({ write: (line) => written.push(line), columns: () => columns });
    reporter.checks('Reachability', reachability);
    reporter.summary('Dry run complete', [message]);
    reporter.message('warn', message);
    if (columns === undefined) {
      t.true(written.includes(`  ${message}`));
      t.true(written.some((line) => line.length > 80));
    } else fits(t, written, [message, ...cells(reachability)]);
  }
});

test('ink: the checks table and a long plan action fit an 80-column terminal', async (t) => {
  const terminal = inkTerminal();
  terminal.stdout.columns = 80;
  terminal.stdout.frames.length = 0; // the first frame was drawn before the terminal narrowed
  const { stdout, ui } = terminal;
  try {
    ui.checks('Requirement check', requirements);
    ui.checks('Reachability', reachability);
    const action = 'Write /etc/postgresql/15/main/conf.d/ha-install.conf';
    ui.showPlan({ title: 'HA master install on db1', actions: [{ kind: 'file', id: 'conf', title: action, path: '/etc/postgresql/15/main/conf.d/ha-install.conf', content: '', mode: 0o644, owner: 'postgres' }], notes: [] }, '');
    const frame = await waitForFrame(stdout, (current) => current.includes('HA master install on db1'));
    const lines = stdout.allFrames().split('\n');
    fits(t, lines, [...cells(requirements).filter((cell) => !cell.includes('pass --ignore')), ...cells(reachability), `${action} (mode 0644, owner postgres)`]);
    t.regex(frame, /1\. Write \/etc\/postgresql\/15\/main\/conf\.d\/ha-install\.conf \(mode 0644, owner\n {5}postgres\)/);
  } finally {
    await ui.close();
  }
});
