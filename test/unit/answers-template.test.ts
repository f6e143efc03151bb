import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadAnswersFile } from '../../src/answers/load.js';
import { fields } from '../../src/answers/schema.js';
import { answersTemplate } from '../../src/answers/template.js';
import { validateAnswers } from '../../src/answers/validate.js';

function loadTemplate() {
  const path = join(mkdtempSync(join(tmpdir(), 'ha-answers-template-')), 'answers.yaml');
  writeFileSync(path, answersTemplate());
  return { path, ...loadAnswersFile(path) };
}

test('the template as written validates with no problems when the env secret is set', (t) => {
  const { path, raw, problems } = loadTemplate();
  t.deepEqual(problems, []);
  const result = validateAnswers(raw, { filePath: path, env: { HA_BACKUP_PASSWORD: 'Correct-Horse-42' } });
  t.deepEqual(result.problems, []);
  t.like(result.answers, { mode: 'master', masterIp: '192.168.0.137', slaveIp: '192.168.0.118' });
  t.is(result.answers.backupPassword?.ref, 'env:HA_BACKUP_PASSWORD');
});

test('without the environment variable, the template reports only that', (t) => {
  const { raw } = loadTemplate();
  const { problems } = validateAnswers(raw, { env: {} });
  t.deepEqual(problems.map((p) => p.field), ['postgresql.backup-password']);
  t.regex(problems[0].message, /HA_BACKUP_PASSWORD/);
});

test('the template mentions every key with its description', (t) => {
  const text = answersTemplate();
  for (const spec of fields) {
    const name = spec.key.slice(spec.key.lastIndexOf('.') + 1);
    t.true(text.includes(`# ${spec.description}`), spec.key);
    t.regex(text, new RegExp(`^\\s*(# )?${name}:`, 'm'), spec.key);
  }
});

test('optional keys are commented out at their default, required ones are written', (t) => {
  const text = answersTemplate();
  t.regex(text, /^mode: master$/m);
  t.regex(text, /^ {2}backup-password: env:HA_BACKUP_PASSWORD$/m);
  t.regex(text, /^ {2}# port: 5432$/m);
  t.regex(text, /^ {2}# min-ram-gb: 4$/m);
  t.regex(text, /^ {2}# extra: \[\]$/m);
});

test('uncommenting an optional key at its default still validates', (t) => {
  const text = answersTemplate().replace('  # port: 5432', '  port: 5432').replace('  # extra: []', '  extra: []');
  const { problems, answers } = validateAnswers(parse(text), { env: { HA_BACKUP_PASSWORD: 'x' } });
  t.deepEqual(problems, []);
  t.is(answers.pgPort, 5432);
  t.deepEqual(answers.extraPackages, []);
});

test('the header explains precedence, secrets and how to run it', (t) => {
  const text = answersTemplate();
  t.regex(text, /flag.*this file.*question.*default/s);
  t.regex(text, /env:NAME/);
  t.regex(text, /file:PATH/);
  t.regex(text, /ha-install --answers/);
});
