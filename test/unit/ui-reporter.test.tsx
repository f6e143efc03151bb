/** @jsxRuntime automatic */
// tsconfig's `include` leaves out test/, so tsx would compile this file's JSX for the classic runtime.
import test from 'ava';
import { render } from 'ink-testing-library';
import { stripVTControlCharacters } from 'node:util';
import type { Plan } from '../../src/engine/actions.js';
import type { CheckRow } from '../../src/prompts/prompter.js';
import { ChecksTable } from '../../src/ui/checks-table.js';
import { progressBar } from '../../src/ui/progress-panel.js';
import { StepList } from '../../src/ui/step-list.js';
import { inkTerminal, waitForFrame, withInk } from './helpers/fake-terminal.js';

const rows: CheckRow[] = [
  { name: 'Memory', measured: '3.8 GB', required: '≥ 4 GB', verdict: 'warn', fix: 'add memory or accept a slower server' },
  { name: 'Disk /var/lib/postgresql', measured: '20 GB', required: '≥ 100 GB', verdict: 'fail', fix: 'grow the volume to 100 GB' },
  { name: 'CPU cores', measured: '4', required: '≥ 2', verdict: 'ok' },
  { name: 'Init system', measured: 'systemd', required: 'any', verdict: 'info' },
];

const plan: Plan = {
  title: 'Install plan for the master',
  actions: [
    { id: 'packages', kind: 'command', title: 'Install postgresql-16 and haproxy', argv: ['apt-get', 'install', '-y', 'postgresql-16'] },
    { id: 'hba', kind: 'block', title: 'Allow replication in pg_hba.conf', path: '/etc/pg_hba.conf', marker: 'ha-install', content: 'x', position: 'top' },
  ],
  notes: ['haproxy is already installed'],
};

test('checks table shows the verdict marks and the fix under warn and fail rows', async (t) => {
  await withInk(async ({ stdout, ui }) => {
    ui.checks('Requirement check', rows);
    const frame = await waitForFrame(stdout, (current) => current.includes('Requirement check'));
    t.regex(frame, /Memory\s+3\.8 GB\s+≥ 4 GB\s+! warn/);
    t.regex(frame, /Disk \/var\/lib\/postgresql\s+20 GB\s+≥ 100 GB\s+✖ fail\n\s+↳ fix: grow the volume to 100 GB/);
    t.regex(frame, /CPU cores\s+4\s+≥ 2\s+✔ ok/);
    t.regex(frame, /Init system\s+systemd\s+any\s+i info/);
    t.regex(frame, /4 checks: 1 failed, 1 warning\b/);
  });
});

test('the step list shows each state, and a running step is a heading in the transcript', async (t) => {
  await withInk(async ({ stdout, ui }) => {
    ui.setSteps([
      { id: 'role', title: 'Role of this server', state: 'pending' },
      { id: 'addresses', title: 'Addresses', state: 'pending' },
      { id: 'checks', title: 'Requirement check', state: 'pending' },
      { id: 'backup', title: 'Backup', state: 'pending' },
      { id: 'apply', title: 'Apply', state: 'pending' },
    ]);
    ui.stepState('role', 'done');
    ui.stepState('addresses', 'failed', 'slave unreachable');
    ui.stepState('checks', 'running');
    ui.stepState('backup', 'skipped');
    const frame = await waitForFrame(stdout, (current) => current.includes('▶ Requirement check'));
    t.regex(frame, /✔ Role of this server/);
    t.regex(frame, /✖ Addresses\s*│?\n│?\s+slave unreachable/);
    t.regex(frame, /↷ Backup/);
    t.regex(frame, /· Apply/);
    t.regex(frame, /Step 3\/5 · Requirement check/);
  });
});

test('progress shows the counter, title, bar with percent and detail; a finished action stays as a line', async (t) => {
  await withInk(async ({ stdout, ui }) => {
    ui.progress({ type: 'start', id: 'packages', title: 'Install packages', index: 3, total: 7 });
    ui.progress({ type: 'progress', id: 'packages', percent: 40, detail: 'apt-get install postgresql-16' });
    const frame = await waitForFrame(stdout, (current) => current.includes('40%'));
    t.regex(frame, /\[3\/7\] Install packages/);
    t.true(frame.includes(`${progressBar(40)} 40%`));
    t.regex(frame, /apt-get install postgresql-16/);
    ui.progress({ type: 'done', id: 'packages', title: 'Install packages' });
    const after = await waitForFrame(stdout, (current) => current.includes('✔ [3/7] Install packages ... done'));
    t.notRegex(after, /40%/);
  });
});

test('plan, messages and summary are printed in the transcript', async (t) => {
  await withInk(async ({ stdout, ui }) => {
    ui.showPlan(plan, '--- /etc/postgresql/16/main/pg_hba.conf\n+++ new\n+# BEGIN ha-install');
    ui.message('warn', 'the slave has less memory than the master');
    ui.summary('High Availability is ready', ['master 192.168.0.137', 'slave 192.168.0.138']);
    const frame = await waitForFrame(stdout, (current) => current.includes('High Availability is ready'));
    t.regex(frame, /Install plan for the master \(2 actions\)/);
    t.regex(frame, /1\. Install postgresql-16 and haproxy/);
    t.regex(frame, /2\. Allow replication in pg_hba\.conf/);
    t.regex(frame, /- haproxy is already installed/);
    t.regex(frame, /\+# BEGIN ha-install/);
    t.regex(frame, /! the slave has less memory than the master/);
    t.regex(frame, /slave 192\.168\.0\.138/);
  });
});

test('components render with ink-testing-library too', (t) => {
  const steps = render(<StepList steps={[{ id: 'a', title: 'Welcome', state: 'done' }, { id: 'b', title: 'Role', state: 'running' }]} />);
  t.regex(stripVTControlCharacters(steps.lastFrame() ?? ''), /✔ Welcome\n▶ Role/);
  steps.unmount();
  const table = render(<ChecksTable title="Checks" rows={rows} />);
  t.regex(stripVTControlCharacters(table.lastFrame() ?? ''), /↳ fix: add memory/);
  table.unmount();
});

test('what is reported right before close() is still written (React commits in a microtask)', async (t) => {
  const { stdout, ui } = inkTerminal();
  ui.message('error', 'the slave did not answer');
  ui.summary('Nothing was changed', ['re-run when the slave is up']);
  await ui.close();
  t.regex(stdout.allFrames(), /✖ the slave did not answer/);
  t.regex(stdout.allFrames(), /re-run when the slave is up/);
});
