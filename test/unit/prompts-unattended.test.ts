import test from 'ava';
import { PassThrough } from 'node:stream';
import type { Plan } from '../../src/engine/actions.js';
import { createUnattendedFrontEnd } from '../../src/prompts/unattended.js';
import { BugError } from '../../src/system/errors.js';

function capture() {
  const stream = new PassThrough();
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
  return { stream, lines: () => written.split('\n').filter((line) => line !== '') };
}

const plan: Plan = {
  title: 'Install plan',
  actions: [{ id: 'packages', kind: 'command', title: 'Install OS packages postgresql-16', argv: ['apt-get', 'install', '-y', 'postgresql-16'] }],
  notes: ['haproxy is already installed'],
};

test('every prompt method throws a BugError naming the field', async (t) => {
  const ui = createUnattendedFrontEnd({ stream: capture().stream });
  t.false(ui.interactive);
  const select = await t.throwsAsync(ui.select({ field: 'role', message: 'Role', choices: [{ value: 'master', label: 'Master' }] }), { instanceOf: BugError });
  t.regex(select!.message, /"role"/);
  await t.throwsAsync(ui.text({ field: 'master-ip', message: 'Master IP' }), { instanceOf: BugError });
  await t.throwsAsync(ui.secret({ field: 'replication-password', message: 'Password' }), { instanceOf: BugError });
  await t.throwsAsync(ui.confirm({ field: 'apply', message: 'Apply?' }), { instanceOf: BugError });
  await ui.close();
});

test('text mode prints steps, checks and progress as lines', async (t) => {
  const { stream, lines } = capture();
  const ui = createUnattendedFrontEnd({ stream });
  ui.setSteps([
    { id: 'checks', title: 'Requirement check', state: 'pending' },
    { id: 'apply', title: 'Apply', state: 'pending' },
  ]);
  ui.stepState('apply', 'running');
  ui.progress({ type: 'start', id: 'packages', title: 'Installing packages', index: 3, total: 7 });
  ui.progress({ type: 'progress', id: 'packages', percent: 55 });
  ui.progress({ type: 'done', id: 'packages', title: 'Installing packages' });
  ui.progress({ type: 'skipped', id: 'hba', title: 'Patch pg_hba.conf', reason: 'already done' });
  ui.message('warn', 'slave has less memory');
  await ui.close();
  t.deepEqual(lines(), [
    '==> Step 2/2: Apply',
    '[3/7] Installing packages ...',
    '[3/7] Installing packages ... 55%',
    '[3/7] Installing packages ... done',
    '[?] Patch pg_hba.conf ... skipped: already done',
    'Warning: slave has less memory',
  ]);
});

test('json mode prints one parseable JSON object per line', async (t) => {
  const { stream, lines } = capture();
  const ui = createUnattendedFrontEnd({ json: true, stream });
  ui.setSteps([{ id: 'checks', title: 'Requirement check', state: 'pending' }]);
  ui.stepState('checks', 'running');
  ui.checks('Requirement check', [{ name: 'Memory', measured: '8 GB', required: '≥ 4 GB', verdict: 'ok' }]);
  ui.showPlan(plan, '+listen 5432');
  ui.progress({ type: 'start', id: 'packages', title: 'Install packages', index: 1, total: 1 });
  ui.progress({ type: 'progress', id: 'packages', percent: 10.4 });
  ui.progress({ type: 'progress', id: 'packages', percent: 10.2 });
  ui.progress({ type: 'done', id: 'packages', title: 'Install packages' });
  ui.summary('Done', ['master 10.0.0.1']);
  await ui.close();
  const events = lines().map((line) => JSON.parse(line) as { event: string; [key: string]: unknown });
  t.deepEqual(
    events.map((event) => event.event),
    ['steps', 'step', 'checks', 'plan', 'progress', 'progress', 'progress', 'summary'],
    'a repeated whole percent is not printed again',
  );
  t.like(events[1], { event: 'step', id: 'checks', title: 'Requirement check', state: 'running' });
  t.like(events[3], { event: 'plan', title: 'Install plan', actions: [{ id: 'packages', kind: 'command', title: 'Install OS packages postgresql-16' }], diffs: '+listen 5432' });
  t.like(events[5], { event: 'progress', type: 'progress', id: 'packages', percent: 10 });
  t.like(events[7], { event: 'summary', title: 'Done', lines: ['master 10.0.0.1'] });
});
