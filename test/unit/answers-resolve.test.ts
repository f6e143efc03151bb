import test from 'ava';
import { applyDefaults, passwordStrength, resolveAnswer, type AnswerSources } from '../../src/answers/resolve.js';
import { modeNumbers, type Answers } from '../../src/answers/types.js';
import { menuLabel, type Choice, type Prompter, type Validate } from '../../src/prompts/prompter.js';

type Call = { kind: string; field: string; message: string; initial?: unknown; choices?: Choice[]; confirmMessage?: string; validate?: Validate };

/** A test double of the person at the keyboard: answers from a queue and records every question. */
function fakePrompter(replies: unknown[] = [], interactive = true): Prompter & { calls: Call[] } {
  const calls: Call[] = [];
  const reply = async (call: Call) => {
    calls.push(call);
    if (replies.length === 0) throw new Error(`unexpected question ${call.field}`);
    return replies.shift() as never;
  };
  return {
    interactive,
    calls,
    select: (q) => reply({ kind: 'select', ...q }),
    text: (q) => reply({ kind: 'text', ...q }),
    secret: (q) => reply({ kind: 'secret', ...q }),
    confirm: (q) => reply({ kind: 'confirm', ...q }),
  };
}

const sources = (flags: Partial<Answers>, file: Partial<Answers>, prompter?: Prompter): AnswerSources => ({ flags, file, prompter });

test('a flag beats the file, the prompter and the default', async (t) => {
  const prompter = fakePrompter(['7777']);
  t.is(await resolveAnswer('pgPort', sources({ pgPort: 6000 }, { pgPort: 5433 }, prompter), {}), 6000);
  t.is(prompter.calls.length, 0);
});

test('the file beats the prompter and the default', async (t) => {
  const prompter = fakePrompter(['7777']);
  t.is(await resolveAnswer('pgPort', sources({}, { pgPort: 5433 }, prompter), {}), 5433);
  t.is(prompter.calls.length, 0);
});

test('the prompter beats the default, which it offers as the initial value', async (t) => {
  const prompter = fakePrompter(['7777']);
  t.is(await resolveAnswer('pgPort', sources({}, {}, prompter), {}), 7777);
  t.is(prompter.calls[0].kind, 'text');
  t.is(prompter.calls[0].field, 'postgresql.port');
  t.is(prompter.calls[0].message, 'PostgreSQL port');
  t.is(prompter.calls[0].initial, '5432');
});

test('without a prompter the default is used, or nothing', async (t) => {
  t.is(await resolveAnswer('pgPort', sources({}, {}), {}), 5432);
  t.is(await resolveAnswer('masterIp', sources({}, {}), {}), undefined);
  t.deepEqual(await resolveAnswer('extraPackages', sources({}, {}), {}), []);
});

test('a prompter that is not interactive is never asked', async (t) => {
  const prompter = fakePrompter([], false);
  t.is(await resolveAnswer('pgPort', sources({}, {}, prompter), {}), 5432);
  t.is(prompter.calls.length, 0);
});

test('ask forces a prompt with the known value as the initial one', async (t) => {
  const prompter = fakePrompter(['10.0.0.9']);
  const got = await resolveAnswer('masterIp', sources({}, { masterIp: '10.0.0.1' }, prompter), { masterIp: '10.0.0.5' }, { ask: true });
  t.is(got, '10.0.0.9');
  t.is(prompter.calls[0].initial, '10.0.0.5');
  t.is(prompter.calls[0].message, 'Master server IP address');
});

test('mode is a select in menu order, so the menu number is the one --mode takes', async (t) => {
  const prompter = fakePrompter(['slave']);
  t.is(await resolveAnswer('mode', sources({}, {}, prompter), {}), 'slave');
  const call = prompter.calls[0];
  t.is(call.kind, 'select');
  const choices = call.choices ?? [];
  t.deepEqual(choices.map((c, index) => [c.value, menuLabel(choices, index)]), [
    ['standalone', '1  Standalone'],
    ['master', '2  HA master'],
    ['slave', '3  HA slave'],
    ['load-balancer', '4  Load balancer'],
  ]);
  choices.forEach((choice, index) => t.is(modeNumbers[String(index + 1)] as string, choice.value));
});

test('a boolean is a confirm with its default as the initial answer', async (t) => {
  const prompter = fakePrompter([true]);
  t.true(await resolveAnswer('synchronous', sources({}, {}, prompter), {}));
  t.is(prompter.calls[0].kind, 'confirm');
  t.is(prompter.calls[0].initial, false);
});

test('the password is asked twice, masked, with the strength policy', async (t) => {
  const prompter = fakePrompter(['Correct-Horse-42']);
  const secret = await resolveAnswer('backupPassword', sources({}, {}, prompter), {});
  t.deepEqual(secret, { source: 'prompt', value: 'Correct-Horse-42' });
  const call = prompter.calls[0];
  t.is(call.kind, 'secret');
  t.is(call.confirmMessage, 'Type it again');
  t.truthy(call.validate?.('short'));
  t.is(call.validate?.('Correct-Horse-42'), undefined);
});

test('the text prompt validates like the answers file, with cross-field checks', async (t) => {
  const prompter = fakePrompter(['10.0.0.2']);
  await resolveAnswer('slaveIp', sources({}, {}, prompter), { mode: 'master', masterIp: '10.0.0.1' });
  const validate = prompter.calls[0].validate!;
  t.regex(validate('192.168.0.300') ?? '', /"192\.168\.0\.300" is not a valid IPv4 address/);
  t.regex(validate('10.0.0.1') ?? '', /same as master-ip/);
  t.regex(validate('') ?? '', /answer is needed/);
  t.is(validate('10.0.0.2'), undefined);
});

test('an extra validate from the flow runs after the field check', async (t) => {
  const prompter = fakePrompter(['6000']);
  await resolveAnswer('pgPort', sources({}, {}, prompter), {}, { validate: (v) => (v === '5432' ? 'in use' : undefined) });
  const validate = prompter.calls[0].validate!;
  t.regex(validate('abc') ?? '', /whole number/);
  t.is(validate('5432'), 'in use');
  t.is(validate('6000'), undefined);
});

test('an empty answer to an optional question keeps its default', async (t) => {
  const prompter = fakePrompter(['']);
  t.is(await resolveAnswer('pgVersion', sources({}, {}, prompter), {}), undefined);
});

test('applyDefaults fills only what is missing and copies lists', (t) => {
  const filled = applyDefaults({ pgPort: 6000 });
  t.like(filled, { pgPort: 6000, pgCluster: 'main', replicationUser: 'replicator', minRamGb: 4, synchronous: false });
  t.is(filled.masterIp, undefined);
  filled.extraPackages?.push('htop');
  t.deepEqual(applyDefaults({}).extraPackages, []);
});

test('passwordStrength: 12 characters and 3 kinds, saying what is missing', (t) => {
  t.is(passwordStrength('Correct-Horse-42'), undefined);
  t.is(passwordStrength('abcdefGHIJ12'), undefined);
  t.regex(passwordStrength('Ab1!') ?? '', /4 characters long \(at least 12/);
  const weak = passwordStrength('abcdefghijklmnop') ?? '';
  t.regex(weak, /uses 1 of the 4 kinds/);
  t.regex(weak, /upper-case letters or digits or symbols/);
  t.false(weak.includes('abcdefghijklmnop'));
});
