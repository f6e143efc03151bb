import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnswersFile } from '../../src/answers/load.js';
import { formatProblem } from '../../src/system/errors.js';

const fixture = (name: string) => join('test', 'fixtures', 'answers', name);
const scratch = () => mkdtempSync(join(tmpdir(), 'ha-answers-load-'));

test('a valid YAML fixture loads into nested data', (t) => {
  const { raw, problems } = loadAnswersFile(fixture('master.yaml'));
  t.deepEqual(problems, []);
  t.like(raw, { mode: 'master', 'master-ip': '127.0.0.11', postgresql: { 'backup-password': 'env:HA_BACKUP_PASSWORD' } });
});

test('a YAML syntax error names the file, the line and the column', (t) => {
  const path = fixture('invalid/syntax-error.yaml');
  const { raw, problems } = loadAnswersFile(path);
  t.is(raw, undefined);
  t.is(problems.length, 1);
  t.is(problems[0].field, path);
  t.regex(problems[0].message, /^syntax error at line 5, column \d+: /);
  t.true(formatProblem(problems[0]).startsWith(`${path}: syntax error at line 5`));
});

test('a YAML error inside a line reports its column', (t) => {
  const path = join(scratch(), 'answers.yaml');
  writeFileSync(path, 'mode: master\nslave-ip: a: b\n');
  const { problems } = loadAnswersFile(path);
  t.is(problems.length, 1);
  t.regex(problems[0].message, /^syntax error at line 2, column 11: Nested mappings/);
});

test('a duplicate key is a syntax error with its line', (t) => {
  const path = join(scratch(), 'answers.yaml');
  writeFileSync(path, 'mode: master\nmode: slave\n');
  const { problems } = loadAnswersFile(path);
  t.regex(problems[0].message, /line 2, column 1: Map keys must be unique/);
});

test('YAML 1.2: yes stays a string and the validator decides what it means', (t) => {
  const path = join(scratch(), 'answers.yaml');
  writeFileSync(path, 'postgresql:\n  synchronous: yes\n');
  t.deepEqual(loadAnswersFile(path).raw, { postgresql: { synchronous: 'yes' } });
});

test('a .json file is read as JSON, with line and column on errors', (t) => {
  const dir = scratch();
  const good = join(dir, 'answers.json');
  writeFileSync(good, '{"mode": "standalone"}');
  t.deepEqual(loadAnswersFile(good), { raw: { mode: 'standalone' }, problems: [] });
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{\n  "mode": "master",\n}\n');
  const { raw, problems } = loadAnswersFile(bad);
  t.is(raw, undefined);
  t.is(problems[0].field, bad);
  t.regex(problems[0].message, /^syntax error at line 3, column 1: /);
});

test('a missing file is a problem with a fix, not an exception', (t) => {
  const path = join(scratch(), 'nope.yaml');
  const { raw, problems } = loadAnswersFile(path);
  t.is(raw, undefined);
  t.is(problems[0].field, path);
  t.regex(problems[0].message, /not found/);
  t.truthy(problems[0].fix);
});

test('a folder given as the answers file is reported', (t) => {
  const { problems } = loadAnswersFile(scratch());
  t.regex(problems[0].message, /folder/);
});

test('a byte-order mark does not break parsing', (t) => {
  const path = join(scratch(), 'answers.yaml');
  writeFileSync(path, '\uFEFFmode: slave\n');
  t.deepEqual(loadAnswersFile(path).raw, { mode: 'slave' });
});
