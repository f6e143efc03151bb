import test from 'ava';
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answersFile, assertRefused, goodServer, measured, pair, refusedBothWays, scratch, workspace } from '../helpers/hostile.js';

/**
 * Answers files a hostile user might give: not files at all, too big, garbage, alias bombs,
 * absurd nesting. Each is refused by the one loader (exit 2, a short excerpt), by
 * `answers validate` and by a dry run alike, quickly and in little memory.
 */

test('a FIFO, a character device and a folder are refused without reading them (no hang, no 16 GB)', async (t) => {
  const dir = scratch();
  const fifo = join(dir, 'answers.yaml');
  await execa('mkfifo', [fifo]);
  for (const [path, kind] of [[fifo, /named pipe \(FIFO\), not a regular file/], ['/dev/zero', /character device, not a regular file/], [dir, /is a folder/]] as const) {
    const validate = await measured(['answers', 'validate', path]);
    assertRefused(t, validate, kind, `${path} (answers validate)`);
    const w = workspace();
    const dryRun = await measured(['--answers', path, '--dry-run', '--facts', goodServer, ...w.common], { netns: pair });
    assertRefused(t, dryRun, kind, `${path} (dry run)`);
    t.true(w.unchanged());
  }
});

test('a 20 MB file and a file just over 256 KiB are refused by size, not parsed and echoed', async (t) => {
  const dir = scratch();
  const huge = join(dir, 'huge.yaml');
  writeFileSync(huge, `mode: ${'x'.repeat(20 * 1024 * 1024)}\n`, { mode: 0o600 });
  await refusedBothWays(t, huge, /huge\.yaml: answers file is 20\.0 MiB, more than the 256 KiB allowed/, '20 MB');
  const over = answersFile(`# ${'-'.repeat(256 * 1024)}\nmode: standalone\n`);
  await refusedBothWays(t, over, /more than the 256 KiB allowed/, 'just over the cap');
});

test('garbage, binary and absurdly nested files get a few short syntax errors', async (t) => {
  const random = join(scratch(), 'random.yaml');
  await execa('sh', ['-c', `head -c 200000 /dev/urandom > ${random}; chmod 600 ${random}`]);
  await refusedBothWays(t, random, /random\.yaml: (contains NUL bytes|syntax error)/, 'random bytes');
  const text = answersFile(`${'{['.repeat(30000)}\n`);
  await refusedBothWays(t, text, /answers\.yaml: (is nested too deeply|syntax error)/, 'deep YAML');
  const json = answersFile(`${'['.repeat(100000)}`, { name: 'answers.json' });
  await refusedBothWays(t, json, /answers\.json: (is nested too deeply|syntax error)/, 'deep JSON');
  const noise = answersFile(Array.from({ length: 2000 }, (_, i) => `${'@'.repeat(i % 40)}: [}`).join('\n'));
  const result = await measured(['answers', 'validate', noise]);
  assertRefused(t, result, /and \d+ more syntax errors/, 'thousands of syntax errors');
  t.true(result.stderr.split('syntax error at').length - 1 <= 5, 'at most 5 listed');
});

test('a YAML alias bomb is invalid input (exit 2), not an internal error', async (t) => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (const [i, name] of ['b', 'c', 'd', 'e', 'f'].entries()) levels.push(`${name}: &${name} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`);
  await refusedBothWays(t, answersFile(`${levels.join('\n')}\n`), /aliases expand to more than 100 copies/, 'alias bomb');
});

test('a value of 200 KiB or full of terminal escapes is quoted as a short escaped excerpt', async (t) => {
  const long = answersFile(`mode: ${'y'.repeat(200 * 1024)}\n`);
  await refusedBothWays(t, long, /mode: expected one of .*got "y{40}…" \(204800 characters\)/, 'long value');
  const escapes = answersFile('mode: "\\e[2J\\e]0;pwned\\a master"\n');
  await refusedBothWays(t, escapes, /mode: .*\\u\{1b\}\[2J/, 'terminal escapes');
  const result = await measured(['answers', 'validate', escapes]);
  t.false(result.stderr.includes('\x1b[2J'), 'no escape sequence reaches the terminal');
});

test('a top-level scalar of 100 KiB is not echoed back in full', async (t) => {
  await refusedBothWays(t, answersFile(`"${'z'.repeat(100 * 1024)}"\n`), /expected a mapping of keys such as "mode: master", got "z{40}…"/, 'scalar file');
});
