import test from 'ava';
import { CancelledError } from '../../src/system/errors.js';
import { inkTerminal, keys, pending, tracked, type, waitForFrame, withInk } from './helpers/fake-terminal.js';

const roles = [
  { value: 'master', label: 'Master', hint: 'the writable primary' },
  { value: 'slave', label: 'Slave', hint: 'the standby' },
] as const;

test('select: arrow down and Enter return the second choice, and the label stays in the transcript', async (t) => {
  await withInk(async ({ stdin, stdout, ui }) => {
    const answer = pending(ui.select({ field: 'role', message: 'Role of this server', choices: [...roles] }));
    await waitForFrame(stdout, (frame) => frame.includes('❯ 1  Master'));
    await type(stdin, keys.down);
    await waitForFrame(stdout, (frame) => /❯ 2  Slave the standby/.test(frame));
    await type(stdin, keys.enter);
    t.is(await answer, 'slave');
    await waitForFrame(stdout, (frame) => frame.includes('✔ Role of this server 2  Slave'));
    t.pass();
  });
});

test('select: starts on the initial choice; up stops at the first', async (t) => {
  await withInk(async ({ stdin, stdout, ui }) => {
    const answer = pending(ui.select({ field: 'role', message: 'Role', choices: [...roles], initial: 'slave' }));
    await waitForFrame(stdout, (frame) => frame.includes('❯ 2  Slave'));
    await type(stdin, keys.up, keys.up, keys.enter);
    t.is(await answer, 'master');
  });
});

test('select: down and Enter in one chunk still choose the second', async (t) => {
  await withInk(async ({ stdin, stdout, ui }) => {
    const answer = pending(ui.select({ field: 'role', message: 'Role', choices: [...roles] }));
    await waitForFrame(stdout, (frame) => frame.includes('❯ 1  Master'));
    await type(stdin, keys.down + keys.enter);
    t.is(await answer, 'slave');
  });
});

test('confirm: y answers yes, n answers no, Enter takes the initial answer', async (t) => {
  await withInk(async ({ stdin, stdout, ui }) => {
    const yes = tracked(ui.confirm({ field: 'apply', message: 'Apply the plan?' }));
    await waitForFrame(stdout, (frame) => frame.includes('Apply the plan? (y/n)'));
    await type(stdin, keys.enter);
    t.false(yes.settled, 'Enter without an initial answer does nothing');
    await type(stdin, 'y');
    t.true(await yes);
    await waitForFrame(stdout, (frame) => frame.includes('✔ Apply the plan? yes'));

    const no = pending(ui.confirm({ field: 'again', message: 'Again?' }));
    await waitForFrame(stdout, (frame) => frame.includes('Again? (y/n)'));
    await type(stdin, 'n');
    t.false(await no);

    const initial = pending(ui.confirm({ field: 'keep', message: 'Keep the data?', initial: false }));
    await waitForFrame(stdout, (frame) => frame.includes('Keep the data? (y/N)'));
    await type(stdin, keys.enter);
    t.false(await initial);
  });
});

test('Ctrl-C rejects the pending prompt with CancelledError', async (t) => {
  await withInk(async ({ stdin, stdout, ui }) => {
    const answer = pending(ui.text({ field: 'master-ip', message: 'Master IP address' }));
    await waitForFrame(stdout, (frame) => frame.includes('Master IP address'));
    await type(stdin, '10.0', keys.ctrlC);
    const error = await t.throwsAsync(answer, { instanceOf: CancelledError });
    t.is(error?.exitCode, 130);
    await waitForFrame(stdout, (frame) => !frame.includes('? Master IP address'));
  });
});

test('Ctrl-C with no prompt pending calls onInterrupt', async (t) => {
  let interrupted = 0;
  await withInk(async ({ stdin, ui }) => {
    await type(stdin, keys.ctrlC);
    t.is(interrupted, 1);
  }, { onInterrupt: () => interrupted++ });
});

test('close() cancels a pending prompt instead of leaving it hanging', async (t) => {
  const { stdout, ui } = inkTerminal();
  const answer = pending(ui.confirm({ field: 'apply', message: 'Apply?' }));
  await waitForFrame(stdout, (frame) => frame.includes('Apply?'));
  await ui.close();
  await t.throwsAsync(answer, { instanceOf: CancelledError });
});

const modes = [
  { value: 'standalone', label: 'Standalone' },
  { value: 'master', label: 'HA master' },
  { value: 'slave', label: 'HA slave' },
  { value: 'load-balancer', label: 'Load balancer' },
];

test('select: a menu is numbered; a number moves to its entry, Enter confirms it', async (t) => {
  await withInk(async ({ stdin, stdout, ui }) => {
    const answer = tracked(ui.select({ field: 'mode', message: 'Choose the install mode', choices: modes }));
    await waitForFrame(stdout, (frame) => frame.includes('❯ 1  Standalone') && frame.includes('1-4 or ↑↓ choose'));
    await type(stdin, '3');
    await waitForFrame(stdout, (frame) => frame.includes('❯ 3  HA slave'));
    t.false(answer.settled, 'a number alone does not confirm');
    await type(stdin, '9');
    await waitForFrame(stdout, (frame) => frame.includes('❯ 3  HA slave'));
    await type(stdin, keys.enter);
    t.is(await answer, 'slave');
    await waitForFrame(stdout, (frame) => frame.includes('✔ Choose the install mode 3  HA slave'));

    const pasted = pending(ui.select({ field: 'mode', message: 'Again', choices: modes }));
    await waitForFrame(stdout, (frame) => frame.includes('? Again'));
    await type(stdin, `2${keys.enter}`);
    t.is(await pasted, 'master', 'a number and Enter in one chunk choose that entry');
  });
});
