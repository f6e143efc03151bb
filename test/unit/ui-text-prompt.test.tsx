import test from 'ava';
import { checkAddress } from '../../src/system/address.js';
import { keys, pending, tracked, type, waitForFrame, withInk } from './helpers/fake-terminal.js';

// The footer shows the log path: every prompt here runs with one.
const options = { logPath: '/var/log/ha-install/run.log' };

const validateIp = (value: string) => {
  const result = checkAddress(value);
  return result.ok ? undefined : result.message;
};

test('text prompt shows the validation message while typing and refuses Enter until valid', async (t) => {
  await withInk(async ({ stdin, stdout, ui }) => {
    const answer = tracked(ui.text({ field: 'master-ip', message: 'Master IP address', validate: validateIp }));
    await waitForFrame(stdout, (frame) => frame.includes('Master IP address'));
    t.notRegex(stdout.lastFrame(), /not a valid/, 'no complaint before anything is typed');

    await type(stdin, '192.168.0.300');
    const invalid = await waitForFrame(stdout, (frame) => frame.includes('"192.168.0.300" is not a valid IPv4 address'));
    t.regex(invalid, /❯ 192\.168\.0\.300\s*│?\n│?\s*"192\.168\.0\.300" is not a valid IPv4 address: part "300"/, 'the message is under the input');

    await type(stdin, keys.enter);
    t.false(answer.settled, 'Enter is refused while the value is invalid');
    t.regex(stdout.lastFrame(), /not a valid IPv4 address/);

    await type(stdin, keys.backspace, keys.backspace);
    const fixed = await waitForFrame(stdout, (frame) => !frame.includes('not a valid'));
    t.regex(fixed, /❯ 192\.168\.0\.3\s/, 'the message goes away as soon as the value is valid');
    await type(stdin, keys.enter);
    t.is(await answer, '192.168.0.3');
    const frame = await waitForFrame(stdout, (current) => current.includes('✔ Master IP address 192.168.0.3'));
    t.notRegex(frame, /\? Master IP address/, 'the answered question leaves the panel');
  }, options);
});

test('text prompt starts from the initial value and submits it with Enter', async (t) => {
  await withInk(async ({ stdin, stdout, ui }) => {
    const answer = pending(ui.text({ field: 'port', message: 'PostgreSQL port', initial: '5432' }));
    await waitForFrame(stdout, (frame) => frame.includes('5432'));
    await type(stdin, keys.enter);
    t.is(await answer, '5432');
  }, options);
});

test('the frame has the header and a footer with the log path and the keys', async (t) => {
  await withInk(async ({ stdout, ui }) => {
    void ui.text({ field: 'x', message: 'Anything' }).catch(() => {});
    const frame = await waitForFrame(stdout, (current) => current.includes('Anything'));
    t.regex(frame, /ha-install — High Availability setup/);
    t.regex(frame, /Log: \/var\/log\/ha-install\/run\.log/);
    t.regex(frame, /Enter confirm · Ctrl-C cancel/);
  }, options);
});

test('a chunk of keys (paste, held Backspace) is taken key by key: erases, submits, no control characters', async (t) => {
  await withInk(async ({ stdin, stdout, ui }) => {
    const answer = pending(ui.text({ field: 'master-ip', message: 'Master IP address', validate: validateIp }));
    await waitForFrame(stdout, (frame) => frame.includes('Master IP address'));
    await type(stdin, '10.0.0.300\u007F\u007F\u007F1\u0007\r');
    t.is(await answer, '10.0.0.1');
  }, options);
});

test('a pasted value with Enter is still refused while invalid', async (t) => {
  await withInk(async ({ stdin, stdout, ui }) => {
    const answer = tracked(ui.text({ field: 'master-ip', message: 'Master IP address', validate: validateIp }));
    await waitForFrame(stdout, (frame) => frame.includes('Master IP address'));
    await type(stdin, '192.168.0.300\r');
    await waitForFrame(stdout, (frame) => frame.includes('is not a valid IPv4 address'));
    t.false(answer.settled);
    await type(stdin, keys.backspace, keys.enter);
    t.is(await answer, '192.168.0.30');
  }, options);
});
