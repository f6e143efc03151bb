import test from 'ava';
import { invalidInputHeading } from '../../src/cli/input-heading.js';
import { loadAnswersFile } from '../../src/answers/load.js';
import { checkValue, validateAnswers } from '../../src/answers/validate.js';
import { fieldByKey } from '../../src/answers/schema.js';
import { formatProblem } from '../../src/system/errors.js';

const env = { HA_BACKUP_PASSWORD: 'Correct-Horse-42' };
const fixture = (name: string) => `test/fixtures/answers/${name}`;
/** Loads and validates a fixture as the CLI does; fixtures hold no plaintext secrets, so mode does not matter. */
function validateFixture(name: string, extra: Parameters<typeof validateAnswers>[1] = {}) {
  const { raw, problems } = loadAnswersFile(fixture(name));
  if (problems.length > 0) throw new Error(problems.map(formatProblem).join('\n'));
  return validateAnswers(raw, { filePath: fixture(name), env, ...extra });
}
const texts = (problems: { field?: string; message: string; fix?: string }[]) => problems.map(formatProblem);

for (const name of ['master.yaml', 'slave.yaml', 'standalone.yaml', 'load-balancer.yaml']) {
  test(`fixture ${name} validates with no problems`, (t) => {
    const { problems, answers } = validateFixture(name);
    t.deepEqual(texts(problems), []);
    t.is(answers.minRamGb, 1);
    t.is(answers.pgPort, undefined, 'defaults are not applied by validate');
  });
}

test('the master fixture gives typed answers and an env secret reference', (t) => {
  const { answers } = validateFixture('master.yaml');
  t.like(answers, { mode: 'master', masterIp: '127.0.0.11', slaveIp: '127.0.0.12', minCores: 1 });
  t.deepEqual(answers.backupPassword, { source: 'env', ref: 'env:HA_BACKUP_PASSWORD', value: env.HA_BACKUP_PASSWORD });
});

test('unknown keys are named in full with a did-you-mean', (t) => {
  const { problems } = validateFixture('invalid/unknown-key.yaml');
  const all = texts(problems).join('\n');
  t.regex(all, /master_ip: unknown key; did you mean `master-ip`\?/);
  t.regex(all, /postgresql\.prot: unknown key; did you mean `postgresql\.port`\?/);
});

test('a far-off unknown key gets no wild guess', (t) => {
  const { problems } = validateAnswers({ mode: 'standalone', 'completely-unrelated-setting': 1 }, { env });
  t.is(problems.length, 1);
  t.is(problems[0].field, 'completely-unrelated-setting');
  t.is(problems[0].message, 'unknown key');
});

test('a dotted key at the top level is refused with a hint to nest it', (t) => {
  const { problems } = validateAnswers({ mode: 'standalone', 'postgresql.port': 5433 }, { env });
  t.is(problems[0].field, 'postgresql.port');
  t.regex(problems[0].fix ?? '', /postgresql:.*port/);
});

test('wrong types name the key, the expected type and what was given', (t) => {
  const { problems } = validateFixture('invalid/wrong-type.yaml');
  const all = texts(problems);
  t.true(all.some((p) => p.startsWith('postgresql.port: expected a whole number from 1 to 65535, got "abc"')));
  t.true(all.some((p) => p.startsWith('requirements.min-cores: expected a whole number from 1 to 4096, got "many"')));
  t.true(all.some((p) => p.startsWith('postgresql.synchronous: expected true or false (yes or no), got "maybe"')));
  t.is(problems.length, 3, 'a value with a type error is not also reported as missing');
});

test('numbers out of range, fractions, lists and mappings are type errors', (t) => {
  const { problems } = validateAnswers(
    { mode: 'standalone', postgresql: { port: 70000, cluster: ['a'] }, requirements: { 'min-cores': 1.5 }, reachability: { 'ping-count': { n: 1 } } },
    { env },
  );
  const all = texts(problems).join('\n');
  t.regex(all, /postgresql\.port: expected a whole number from 1 to 65535, got 70000/);
  t.regex(all, /postgresql\.cluster: expected text, got a list/);
  t.regex(all, /requirements\.min-cores: expected a whole number from 1 to 4096, got 1\.5/);
  t.regex(all, /reachability\.ping-count: expected a whole number from 1 to 20, got a mapping/);
});

test('a section that is not a mapping is named', (t) => {
  const { problems } = validateAnswers({ mode: 'standalone', requirements: 4 }, { env });
  t.is(problems[0].field, 'requirements');
  t.regex(problems[0].message, /section/);
});

test('mode accepts its menu numbers, as a number or a string', (t) => {
  t.is(validateAnswers({ mode: 1 }, { env }).answers.mode, 'standalone');
  t.is(validateAnswers({ mode: '4', 'master-ip': '10.0.0.1', 'slave-ip': '10.0.0.2' }, { env }).answers.mode, 'load-balancer');
  const { problems } = validateAnswers({ mode: 'primary' }, { env });
  t.regex(formatProblem(problems[0]), /^mode: expected one of standalone, master, slave, load-balancer \(or their numbers 1 to 4\), got "primary"/);
});

test('booleans accept true/false and yes/no', (t) => {
  const { answers, problems } = validateAnswers({ mode: 'standalone', postgresql: { synchronous: 'yes' }, packages: { skip: false }, requirements: { ignore: 'no' } }, { env });
  t.deepEqual(problems, []);
  t.like(answers, { synchronous: true, skipPackages: false, ignoreRequirements: false });
});

test('packages.extra takes a list of names and checks each', (t) => {
  t.deepEqual(validateAnswers({ mode: 'standalone', packages: { extra: ['htop', 'tmux'] } }, { env }).answers.extraPackages, ['htop', 'tmux']);
  const { problems } = validateAnswers({ mode: 'standalone', packages: { extra: ['htop', 'rm -rf'] } }, { env });
  t.regex(formatProblem(problems[0]), /^packages\.extra: "rm -rf" is not a package name/);
});

test('all missing required keys are listed at once, with the key and the flag', (t) => {
  const { problems } = validateFixture('invalid/missing-keys.yaml');
  t.deepEqual(problems.map((p) => p.field), ['master-ip', 'slave-ip', 'postgresql.backup-password']);
  for (const problem of problems) t.is(problem.message, 'is required for mode master');
  t.is(problems[0].fix, 'add "master-ip: <address>" to the answers file or pass --master-ip <address>');
  t.regex(problems[2].fix ?? '', /backup-password: env:NAME" under "postgresql:"/);
});

test('an empty file reports mode as required', (t) => {
  const { problems } = validateAnswers(null, { env });
  t.is(problems.length, 1);
  t.is(problems[0].field, 'mode');
  t.regex(problems[0].fix ?? '', /--mode/);
});

test('an empty value counts as not given', (t) => {
  const { problems } = validateAnswers({ mode: 'load-balancer', 'master-ip': null, 'slave-ip': '10.0.0.2', 'balancer-ip': '10.0.0.3' }, { env });
  t.deepEqual(problems.map((p) => p.field), ['master-ip']);
});

test('a slave address equal to the master address is refused', (t) => {
  const { problems } = validateFixture('invalid/same-ips.yaml');
  t.is(problems.length, 1);
  t.regex(formatProblem(problems[0]), /^slave-ip: is the same as master-ip \(127\.0\.0\.11\)/);
});

test('an invalid IPv4 address names the field and the bad part', (t) => {
  const { problems } = validateFixture('invalid/invalid-ip.yaml');
  t.is(problems.length, 1);
  t.regex(formatProblem(problems[0]), /^master-ip: "192\.168\.0\.300" is not a valid IPv4 address: part "300"/);
});

test('flags win over the file and fill what it lacks', (t) => {
  const { answers, problems } = validateAnswers({ mode: 'master', 'master-ip': '10.0.0.1' }, {
    env,
    flags: { mode: 'load-balancer', slaveIp: '10.0.0.2', balancerIp: '10.0.0.3', pgPort: 6543 },
  });
  t.deepEqual(problems, []);
  t.like(answers, { mode: 'load-balancer', masterIp: '10.0.0.1', slaveIp: '10.0.0.2', pgPort: 6543 });
});

test('a bad flag value is reported under the flag, with the flag\'s fix', (t) => {
  const { problems } = validateAnswers({ mode: 'load-balancer', 'master-ip': '10.0.0.1' }, { env, flags: { slaveIp: '10.0.0.1' } });
  t.is(problems[0].field, '--slave-ip');
  t.regex(problems[0].message, /same as master-ip/);
  const typed = validateAnswers({}, { env, flags: { mode: 'bogus' as never, pgPort: '0' as never } }).problems;
  t.deepEqual(typed.map((p) => p.field), ['--mode', '--pg-port']);
  t.is(typed[0]!.fix, 'e.g. --mode master');
  t.is(typed[1]!.fix, 'e.g. --pg-port 5432');
  for (const problem of typed) t.notRegex(problem.fix!, /: "?\w/, 'no answers-file syntax in a flag\'s fix');
});

test('every problem of a file is reported in one pass', (t) => {
  const { problems } = validateAnswers({ mode: 'master', master_ip: 'x', 'slave-ip': '1.2.3.400', postgresql: { port: 'abc' } }, { env });
  t.deepEqual(problems.map((p) => p.field).sort(), ['master-ip', 'master_ip', 'postgresql.backup-password', 'postgresql.port', 'slave-ip']);
});

test('checkValue types a prompt answer and runs the field check against known answers', (t) => {
  const slave = fieldByKey.get('slave-ip')!;
  t.deepEqual(checkValue(slave, ' 10.0.0.2 ', { masterIp: '10.0.0.1' }), { ok: true, value: '10.0.0.2' });
  t.false(checkValue(slave, '10.0.0.1', { masterIp: '10.0.0.1' }).ok);
  t.deepEqual(checkValue(fieldByKey.get('postgresql.port')!, '5433', {}), { ok: true, value: 5433 });
  t.false(checkValue(fieldByKey.get('postgresql.port')!, '0', {}).ok);
});

test('a refusal is headed by the flags at fault, the answers file, or both', (t) => {
  const flag = { field: '--mode', message: 'expected one of ...' };
  const key = { field: 'master-ip', message: 'is not an address' };
  t.is(invalidInputHeading([flag], undefined), '--mode has an invalid value: nothing was changed.');
  t.is(invalidInputHeading([flag, { ...flag, field: '--pg-port' }, { ...flag, field: '--slave-ip' }], 'a.yaml'), '--mode, --pg-port and --slave-ip have invalid values: nothing was changed.');
  t.is(invalidInputHeading([key, key], 'a.yaml'), 'The answers file a.yaml has 2 problems: nothing was changed.');
  t.is(invalidInputHeading([key, flag], 'a.yaml'), '--mode has an invalid value, and the answers file a.yaml has 1 problem: nothing was changed.');
  t.is(invalidInputHeading([flag, key, key], undefined), '--mode has an invalid value, and 2 answers are missing: nothing was changed.');
});
