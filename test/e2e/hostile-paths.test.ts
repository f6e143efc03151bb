import test from 'ava';
import { execa } from 'execa';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertRefused, goodServer, measured, pair, scratch, workspace } from '../helpers/hostile.js';

/**
 * Folders and files given on the command line: each is checked before any work starts, the
 * one writer never follows a link nor overwrites without --force, and nothing loops without a
 * bound (a log folder under /proc used to spin at 99 % CPU, deaf to SIGTERM).
 */
// Standalone: a dry run that needs no peer and no agent to answer, so it ends only where a path is refused.
const dryRun = ['--mode', 'standalone', '--dry-run', '--facts', goodServer];

test('--save-answers never writes through a symbolic link, over a file, a FIFO or into a missing folder', async (t) => {
  const dir = scratch();
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'precious\n');
  chmodSync(victim, 0o644);
  symlinkSync(victim, join(dir, 'link.yaml'));
  await execa('mkfifo', [join(dir, 'fifo.yaml')]);
  const cases: Array<[string, RegExp]> = [
    [join(dir, 'link.yaml'), /--save-answers: .*link\.yaml is a symbolic link: ha-install does not write through links/],
    [victim, /--save-answers: .*victim already exists: not overwritten/],
    [join(dir, 'fifo.yaml'), /--save-answers: .*fifo\.yaml is a named pipe \(FIFO\), not a file/],
    [join(dir, 'missing', 'saved.yaml'), /--save-answers: the folder .*missing does not exist/],
    [join(victim, 'saved.yaml'), /--save-answers: .*victim is a regular file, not a folder/],
    [`${dir}/bad\nname.yaml`, /--save-answers: the path contains a line break/],
    [join(dir, `${'n'.repeat(256)}.yaml`), /--save-answers: the path has a part of 261 bytes/],
  ];
  for (const [target, message] of cases) {
    const w = workspace([dir]);
    const result = await measured([...dryRun, ...w.common, '--save-answers', target], { netns: pair });
    assertRefused(t, result, message, target);
    t.true(w.unchanged(), `${target}: no file changed`);
    t.false(existsSync(w.state) || existsSync(w.logs), 'refused before any work: no log, no state');
  }
  t.is(readFileSync(victim, 'utf8'), 'precious\n');
  t.is(statSync(victim).mode & 0o777, 0o644, 'the target keeps its mode');
  t.is(readlinkSync(join(dir, 'link.yaml')), victim);
});

test('--save-answers with --force replaces a regular file (mode 0600), still not a link', async (t) => {
  const dir = scratch();
  const saved = join(dir, 'saved.yaml');
  writeFileSync(saved, 'old\n', { mode: 0o644 });
  const w = workspace();
  const result = await measured([...dryRun, ...w.common, '--save-answers', saved, '--force'], { netns: pair });
  t.is(result.exitCode, 0, result.stderr);
  t.regex(readFileSync(saved, 'utf8'), /mode: standalone/);
  t.is(statSync(saved).mode & 0o777, 0o600);
  symlinkSync(saved, join(dir, 'link.yaml'));
  const link = await measured([...dryRun, ...w.common, '--save-answers', join(dir, 'link.yaml'), '--force'], { netns: pair });
  assertRefused(t, link, /is a symbolic link/, 'link with --force');
  t.true(lstatSync(join(dir, 'link.yaml')).isSymbolicLink());
});

test('--log-dir and --state-dir: a file, a FIFO, /proc, /sys or a folder others can write are refused at once', async (t) => {
  const dir = scratch();
  const file = join(dir, 'file');
  writeFileSync(file, 'x');
  await execa('mkfifo', [join(dir, 'fifo')]);
  const open = join(dir, 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  const cases: Array<[string, string, RegExp]> = [
    ['--log-dir', '/proc/sys/ha', /--log-dir: \/proc\/sys\/ha is on procfs/],
    ['--log-dir', '/sys/kernel/ha-install', /--log-dir: .* is on sysfs/],
    ['--log-dir', file, /--log-dir: .*file is a regular file, not a folder/],
    ['--log-dir', join(file, 'below'), /--log-dir: .*below cannot be created: a part of it is a file, not a folder/],
    ['--state-dir', file, /--state-dir: .*file is a regular file, not a folder/],
    ['--state-dir', join(dir, 'fifo'), /--state-dir: .*fifo is a named pipe \(FIFO\), not a folder/],
    ['--state-dir', '/proc/ha-install', /--state-dir: \/proc\/ha-install is on procfs/],
    ['--log-dir', open, /--log-dir: .*open can be written by group or others/],
  ];
  for (const [flag, path, message] of cases) {
    const w = workspace([dir]);
    const args = flag === '--log-dir' ? ['--state-dir', w.state, '--log-dir', path] : ['--state-dir', path, '--log-dir', w.logs];
    const result = await measured([...dryRun, ...args], { netns: pair });
    assertRefused(t, result, message, `${flag} ${path}`);
    t.true(result.seconds < 5, `${flag} ${path}: refused in ${result.seconds} s`);
    t.true(w.unchanged());
  }
});

test('answers init refuses a link, a missing folder and an existing file; status refuses a damaged state file', async (t) => {
  const dir = scratch();
  writeFileSync(join(dir, 'victim'), 'precious\n');
  symlinkSync(join(dir, 'victim'), join(dir, 'link.yaml'));
  for (const [target, message, force] of [
    [join(dir, 'link.yaml'), /is a symbolic link/, true],
    [join(dir, 'victim'), /already exists: not overwritten/, false],
    [join(dir, 'nope', 'answers.yaml'), /the folder .*nope does not exist/, true],
  ] as const) {
    assertRefused(t, await measured(['answers', 'init', target, ...(force ? ['--force'] : [])]), message, `answers init ${target}`);
  }
  t.is(readFileSync(join(dir, 'victim'), 'utf8'), 'precious\n');
  for (const damaged of ['{"mode": "mas', 'null', '\u0000\u0001']) {
    const state = scratch();
    writeFileSync(join(state, 'state.json'), damaged, { mode: 0o600 });
    const result = await measured(['status', '--state-dir', state]);
    assertRefused(t, result, /state\.json: (is not valid JSON|does not describe a node)/, `state file ${JSON.stringify(damaged)}`);
    t.is(readFileSync(join(state, 'state.json'), 'utf8'), damaged);
  }
});
