import test from 'ava';
import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { stripVTControlCharacters } from 'node:util';
import { createPlainFrontEnd, mismatchMessage } from '../../src/prompts/plain.js';
import { CancelledError } from '../../src/system/errors.js';

const keys = { down: '\u001B[B', enter: '\r', backspace: '\u007F', ctrlC: '\u0003' };

function setup() {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString()));
  const ui = createPlainFrontEnd({ input, output, logPath: '/var/log/ha-install/run.log' });
  const type = async (...chunks: string[]) => {
    for (const chunk of chunks) {
      await delay(30);
      input.write(chunk);
    }
  };
  return { ui, type, text: () => stripVTControlCharacters(written) };
}

test('select, text and confirm answer through the injected input', async (t) => {
  const { ui, type } = setup();
  const role = ui.select({
    field: 'role',
    message: 'Role of this server',
    choices: [
      { value: 'master', label: 'Master' },
      { value: 'slave', label: 'Slave', hint: 'the standby' },
    ],
  });
  await type(keys.down, keys.enter);
  t.is(await role, 'slave');

  const address = ui.text({ field: 'master-ip', message: 'Master IP address', validate: (value) => (value.endsWith('300') ? 'not an IPv4 address' : undefined) });
  await type('192.168.0.300', keys.enter, keys.backspace, keys.backspace, keys.enter);
  t.is(await address, '192.168.0.3');

  const apply = ui.confirm({ field: 'apply', message: 'Apply the plan?' });
  await type('y', keys.enter);
  t.true(await apply);

  const fallback = ui.confirm({ field: 'again', message: 'Again?' });
  await type(keys.enter);
  t.false(await fallback, 'Enter without an initial answer means no');
  await ui.close();
});

test('the validation message is printed and the text prompt is refused until valid', async (t) => {
  const { ui, type, text } = setup();
  const address = ui.text({ field: 'master-ip', message: 'Master IP address', validate: (value) => (value === '' ? 'type the address' : undefined) });
  await type(keys.enter);
  await delay(50);
  t.regex(text(), /> type the address/);
  await type('10.0.0.1', keys.enter);
  t.is(await address, '10.0.0.1');
});

test('secret: asked twice, asked again when the entries differ, never echoed', async (t) => {
  const { ui, type, text } = setup();
  const secret = ui.secret({ field: 'replication-password', message: 'Replication password', confirmMessage: 'Type it again' });
  await type('Sw0rdfish!', keys.enter, 'Swordfish', keys.enter, 'Sw0rdfish!', keys.enter, 'Sw0rdfish!', keys.enter);
  t.is(await secret, 'Sw0rdfish!');
  t.true(text().includes(mismatchMessage));
  t.false(text().includes('Sw0rdfish!'));
  t.false(text().includes('Swordfish'));
});

test('Ctrl-C rejects with CancelledError', async (t) => {
  const { ui, type } = setup();
  const answer = ui.text({ field: 'master-ip', message: 'Master IP address' });
  await type('10.', keys.ctrlC);
  const error = await t.throwsAsync(answer, { instanceOf: CancelledError });
  t.is(error?.exitCode, 130);
});

test('steps, checks and progress are printed as plain lines', async (t) => {
  const { ui, text } = setup();
  ui.setSteps([
    { id: 'role', title: 'Role of this server', state: 'pending' },
    { id: 'checks', title: 'Requirement check', state: 'pending' },
    { id: 'apply', title: 'Apply', state: 'pending' },
  ]);
  ui.stepState('checks', 'running');
  ui.checks('Requirement check', [
    { name: 'Memory', measured: '3.8 GB', required: '≥ 4 GB', verdict: 'warn', fix: 'add memory' },
    { name: 'Disk /var/lib/postgresql', measured: '20 GB', required: '≥ 100 GB', verdict: 'fail', fix: 'grow the volume' },
    { name: 'CPU cores', measured: '4', required: '≥ 2', verdict: 'ok' },
  ]);
  ui.stepState('checks', 'failed', '1 check failed');
  ui.progress({ type: 'start', id: 'packages', title: 'Install packages', index: 2, total: 5 });
  for (let percent = 0; percent <= 100; percent += 4) ui.progress({ type: 'progress', id: 'packages', percent, detail: 'apt-get install' });
  ui.progress({ type: 'done', id: 'packages', title: 'Install packages' });
  ui.progress({ type: 'start', id: 'clone', title: 'Clone the master', index: 3, total: 5 });
  ui.progress({ type: 'failed', id: 'clone', title: 'Clone the master', message: 'pg_basebackup exited with 1' });
  await ui.close();
  await delay(20);

  const lines = text().split('\n');
  t.is(lines[0], 'Log file: /var/log/ha-install/run.log');
  t.true(lines.includes('==> Step 2/3: Requirement check'));
  t.true(lines.includes('==> Step 2/3 FAILED: Requirement check: 1 check failed'));
  t.true(lines.includes('  Check                     Measured  Required  Verdict'));
  t.true(lines.includes('  Memory                    3.8 GB    ≥ 4 GB    WARN'));
  t.true(lines.includes('  Disk /var/lib/postgresql  20 GB     ≥ 100 GB  FAIL'));
  t.true(lines.includes('      fix: grow the volume'));
  t.true(lines.includes('  CPU cores                 4         ≥ 2       ok'));
  t.true(lines.includes('  3 checks: 1 failed, 1 warning'));
  const percents = lines.filter((line) => line.startsWith('[2/5] apt-get install ... '));
  t.deepEqual(percents, ['0%', '12%', '20%', '32%', '40%', '52%', '60%', '72%', '80%', '92%', '100%'].map((p) => `[2/5] apt-get install ... ${p}`));
  t.true(lines.includes('[2/5] Install packages ... done'));
  t.true(lines.includes('[3/5] Clone the master ... FAILED: pg_basebackup exited with 1'));
});
