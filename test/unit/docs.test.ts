import test from 'ava';
import { readFileSync } from 'node:fs';
import { answersTemplate } from '../../src/answers/template.js';
import { fields } from '../../src/answers/schema.js';
import { withReference } from '../../src/answers/reference.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('templates/answers.example.yaml is the current template (regenerate: ha-install answers init --force templates/answers.example.yaml)', (t) => {
  t.is(read('templates/answers.example.yaml'), answersTemplate());
});

test('the README\'s answers reference, with each field\'s limits, is the generated one (regenerate: node --import tsx scripts/answers-reference.ts)', (t) => {
  const readme = read('README.md');
  t.is(withReference(readme), readme);
});

test('the README documents every answers key and every exit code', (t) => {
  const readme = read('README.md');
  for (const field of fields) t.true(readme.includes(`\`${field.key}\``), `README lacks ${field.key}`);
  for (const code of ['0', '1', '2', '130']) t.regex(readme, new RegExp(`\\|\\s*${code}\\s*\\|`), `README lacks exit code ${code}`);
});

test('.ci/run calls exactly the README test command', (t) => {
  const readme = read('README.md');
  const command = readme.match(/<!-- test-command -->\n```sh\n(.+)\n```/)?.[1];
  t.truthy(command, 'README marks its test command');
  t.true(read('.ci/run').includes(`\n${command!.replace(/^sudo /, '')} 2>&1`), '.ci/run runs the same command');
});
