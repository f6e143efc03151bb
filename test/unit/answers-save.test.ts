import test from 'ava';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnswersFile } from '../../src/answers/load.js';
import { saveAnswers, serializeAnswers } from '../../src/answers/save.js';
import type { Answers } from '../../src/answers/types.js';
import { validateAnswers } from '../../src/answers/validate.js';

const password = 'Never-Saved-Pass-9';
const scratch = () => mkdtempSync(join(tmpdir(), 'ha-answers-save-'));
const base: Partial<Answers> = {
  mode: 'master',
  masterIp: '10.0.0.1',
  slaveIp: '10.0.0.2',
  minRamGb: 1.5,
  ignoreRequirements: true,
  extraPackages: ['htop', 'tmux'],
  pgPort: 5433,
  pgCluster: 'main',
  synchronous: false,
};

test('saveAnswers writes mode 0600; an existing world-readable file is replaced only with force, then 0600 too', (t) => {
  const dir = scratch();
  const fresh = join(dir, 'fresh.yaml');
  saveAnswers(fresh, base);
  t.is(statSync(fresh).mode & 0o777, 0o600);
  const existing = join(dir, 'existing.yaml');
  writeFileSync(existing, 'old');
  chmodSync(existing, 0o644);
  t.throws(() => saveAnswers(existing, base), { message: /was not written/ });
  t.is(readFileSync(existing, 'utf8'), 'old');
  saveAnswers(existing, base, true);
  t.is(statSync(existing).mode & 0o777, 0o600);
  t.false(readFileSync(existing, 'utf8').includes('old'));
});

test('a prompted or plaintext password is never written: the replay reads it from HA_BACKUP_PASSWORD', (t) => {
  for (const source of ['prompt', 'plain'] as const) {
    const text = serializeAnswers({ ...base, backupPassword: { source, value: password } });
    t.false(text.includes(password));
    t.regex(text, /# typed in the wizard and not saved: export HA_BACKUP_PASSWORD=\.\.\. before replaying/);
    t.regex(text, /^ {2}backup-password: env:HA_BACKUP_PASSWORD$/m);
  }
  const path = join(scratch(), 'answers.yaml');
  saveAnswers(path, { ...base, backupPassword: { source: 'prompt', value: password } });
  t.false(readFileSync(path, 'utf8').includes(password));
});

test('a secret with a reference is saved as its reference, not its value', (t) => {
  const text = serializeAnswers({ ...base, backupPassword: { source: 'env', ref: 'env:HA_PW', value: password } });
  t.regex(text, /^ {2}backup-password: env:HA_PW$/m);
  t.false(text.includes(password));
});

test('serialized answers are nested by section', (t) => {
  const text = serializeAnswers(base);
  t.regex(text, /^postgresql:\n {2}cluster: main\n {2}port: 5433\n/m);
  t.regex(text, /^requirements:\n {2}min-ram-gb: 1\.5\n {2}ignore: true$/m);
  t.false(text.includes('reachability'), 'empty sections are left out');
});

test('round trip: save, load and validate give the same answers', (t) => {
  const path = join(scratch(), 'answers.yaml');
  const env = { HA_PW: password };
  const answers = { ...base, backupPassword: { source: 'env' as const, ref: 'env:HA_PW', value: password } };
  saveAnswers(path, answers);
  const loaded = loadAnswersFile(path);
  t.deepEqual(loaded.problems, []);
  const again = validateAnswers(loaded.raw, { filePath: path, env });
  t.deepEqual(again.problems, []);
  t.deepEqual(again.answers, answers);
});

test('round trip without the secret reports only the missing password', (t) => {
  const path = join(scratch(), 'answers.yaml');
  saveAnswers(path, { ...base, backupPassword: { source: 'prompt', value: password } });
  const again = validateAnswers(loadAnswersFile(path).raw, { filePath: path, env: {} });
  t.deepEqual(again.problems.map((p) => p.field), ['postgresql.backup-password']);
  t.deepEqual(again.answers, base);
});

test('strings that YAML would misread are quoted', (t) => {
  const answers: Partial<Answers> = { mode: 'standalone', pgCluster: '1', replicationUser: 'null' };
  const again = validateAnswers(loadAnswersFileFromText(serializeAnswers(answers)), { env: {} });
  t.deepEqual(again.answers, answers);
});

function loadAnswersFileFromText(text: string): unknown {
  const path = join(scratch(), 'answers.yaml');
  writeFileSync(path, text);
  return loadAnswersFile(path).raw;
}
