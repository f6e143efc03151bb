import test from 'ava';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnswersFile } from '../../src/answers/load.js';
import { resolveSecret } from '../../src/answers/secrets.js';
import { validateAnswers } from '../../src/answers/validate.js';
import { formatProblem, type Problem } from '../../src/system/errors.js';

const password = 'S3cret-Pass-Word!';
const key = 'postgresql.backup-password';
const scratch = () => mkdtempSync(join(tmpdir(), 'ha-answers-secrets-'));

/** Writes a real answers file with the given mode and validates it as the CLI would. */
function validateFile(text: string, mode: number, env: NodeJS.ProcessEnv = {}) {
  const path = join(scratch(), 'answers.yaml');
  writeFileSync(path, text);
  chmodSync(path, mode);
  const loaded = loadAnswersFile(path);
  return { path, ...validateAnswers(loaded.raw, { filePath: path, env }) };
}

const plainFile = `mode: master\nmaster-ip: 10.0.0.1\nslave-ip: 10.0.0.2\npostgresql:\n  backup-password: ${password}\n`;

test('a plaintext secret in a world-readable answers file is refused, without echoing it', (t) => {
  const { path, problems, answers } = validateFile(plainFile, 0o644);
  t.is(problems.length, 1);
  const text = formatProblem(problems[0]);
  t.true(text.startsWith(`${key}: is a plaintext secret in ${path}, which others can read (mode 0644)`));
  t.regex(text, new RegExp(`use env:NAME or file:PATH, or chmod 600 ${path}`));
  t.false(text.includes(password));
  t.is(answers.backupPassword, undefined);
});

test('a plaintext secret in a 0600 answers file is accepted', (t) => {
  const { problems, answers } = validateFile(plainFile, 0o600);
  t.deepEqual(problems, []);
  t.deepEqual(answers.backupPassword, { source: 'plain', value: password });
});

test('a plaintext secret with unknown file permissions is refused', (t) => {
  const { problem } = resolveSecret(password, { key, env: {} });
  t.regex(problem?.message ?? '', /permissions .* unknown/);
});

test('env: reads the variable and keeps the reference', (t) => {
  const { secret, problem } = resolveSecret('env:HA_PW', { key, env: { HA_PW: password } });
  t.is(problem, undefined);
  t.deepEqual(secret, { source: 'env', ref: 'env:HA_PW', value: password });
});

test('env: with a missing or empty variable names it and says how to pass it through sudo', (t) => {
  for (const env of [{}, { HA_PW: '' }]) {
    const { secret, problem } = resolveSecret('env:HA_PW', { key, env });
    t.is(secret, undefined);
    t.is(problem?.field, key);
    t.regex(problem?.message ?? '', /environment variable HA_PW is (not set|empty)/);
    t.regex(problem?.fix ?? '', /export HA_PW=\.\.\..*sudo -E.*sudo HA_PW=\.\.\. ha-install/);
  }
});

test('env: with an invalid variable name is refused', (t) => {
  t.regex(resolveSecret('env:1-bad', { key, env: {} }).problem?.message ?? '', /not a valid environment variable name/);
});

test('file: reads the first line, strips the newline, and stores the absolute path', (t) => {
  const dir = scratch();
  const path = join(dir, 'pw');
  writeFileSync(path, `${password}\nsecond line\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  t.deepEqual(resolveSecret(`file:${path}`, { key, env: {} }), { secret: { source: 'file', ref: `file:${path}`, value: password } });
  // Relative paths start at the answers file's folder.
  const relative = resolveSecret('file:pw', { key, env: {}, filePath: join(dir, 'answers.yaml') });
  t.is(relative.secret?.value, password);
});

test('file: refuses a secret file that group or others can read', (t) => {
  const path = join(scratch(), 'pw');
  writeFileSync(path, password);
  chmodSync(path, 0o640);
  const { secret, problem } = resolveSecret(`file:${path}`, { key, env: {} });
  t.is(secret, undefined);
  t.regex(problem?.message ?? '', /can be read by group or others \(mode 0640\)/);
  t.is(problem?.fix, `chmod 600 ${path}`);
});

test('file: with a missing file is a problem naming the file', (t) => {
  const path = join(scratch(), 'missing');
  const { problem } = resolveSecret(`file:${path}`, { key, env: {} });
  t.is(problem?.field, key);
  t.regex(problem?.message ?? '', new RegExp(`${path} does not exist`));
});

test('file: with an empty first line is refused', (t) => {
  const path = join(scratch(), 'pw');
  writeFileSync(path, '\nlater\n', { mode: 0o600 });
  t.regex(resolveSecret(`file:${path}`, { key, env: {} }).problem?.message ?? '', /empty first line/);
});

test('a secret of the wrong type is described by kind, never by value', (t) => {
  const { problem } = resolveSecret(123456789012, { key, env: {} });
  t.regex(problem?.message ?? '', /got a number$/);
  t.false(JSON.stringify(problem).includes('123456789012'));
});

test('the secret value never appears in any problem text', (t) => {
  const dir = scratch();
  const readable = join(dir, 'readable');
  writeFileSync(readable, password);
  chmodSync(readable, 0o644);
  const problems: Problem[] = [
    resolveSecret(password, { key, env: {}, fileMode: 0o644, filePath: '/etc/ha/answers.yaml' }).problem!,
    resolveSecret(password, { key, env: {} }).problem!,
    resolveSecret(`file:${readable}`, { key, env: {} }).problem!,
    ...validateFile(plainFile, 0o604).problems,
    ...validateFile(plainFile.replace('mode: master', 'mode: 7'), 0o644).problems,
  ];
  t.true(problems.length >= 5);
  for (const problem of problems) t.false(JSON.stringify(problem).includes(password), formatProblem(problem));
});
