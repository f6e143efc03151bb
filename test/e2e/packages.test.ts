import test from 'ava';
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

/**
 * The package step for real: apt-get installs a role's packages plus an extra one (GNU hello,
 * small and harmless), with the output in the log; a second run finds everything installed
 * and does nothing. It needs Debian's package mirror, so it runs in the host's network
 * namespace; the install's own probes only go to 127.0.0.11 and 127.0.0.12.
 */
const installed = async (name: string) =>
  (await execa('dpkg-query', ['-W', '-f=${db:Status-Status}', name], { reject: false })).stdout === 'installed';

test('mode standalone installs its packages with apt-get, and a second run does nothing', async (t) => {
  if (await installed('hello')) await execa('apt-get', ['purge', '-y', '-qq', 'hello']);
  t.false(await installed('hello'), 'hello is absent before the run');
  const dir = mkdtempSync(join(tmpdir(), 'ha-pkg-'));
  const answers = join(dir, 'answers.yaml');
  writeFileSync(
    answers,
    // Standalone: no peer and no service, so the run is the package step alone (mode 4 would
    // also need both database nodes' agents to answer).
    'mode: standalone\nrequirements:\n  min-ram-gb: 1\n  min-cores: 1\n  min-disk-gb: 1\npackages:\n  extra: [hello]\n',
    { mode: 0o600 },
  );
  const args = ['--answers', answers, '--state-dir', join(dir, 'state'), '--log-dir', join(dir, 'logs')];

  const dry = await runCli([...args, '--dry-run']);
  t.is(dry.exitCode, 0, dry.stderr);
  t.regex(dry.stderr, /apt install .*hello|hello/);
  t.false(await installed('hello'), 'the dry run installed nothing');

  const first = await runCli(args);
  t.is(first.exitCode, 0, first.stderr);
  t.true(await installed('hello'), 'hello is installed');
  t.regex(first.stderr, /Install OS packages .*done/);
  const logs = readdirSync(join(dir, 'logs'));
  const log = logs.map((f) => readFileSync(join(dir, 'logs', f), 'utf8')).join('\n');
  t.regex(log, /apt-get install -y --no-install-recommends/);
  t.regex(log, /pmstatus:hello/, 'apt progress lines reach the log');
  t.true(existsSync(join(dir, 'state', 'state.json')));

  const second = await runCli(args);
  t.is(second.exitCode, 0, second.stderr);
  t.regex(second.stderr, /already installed/);
  t.notRegex(second.stderr.split('Installation')[1] ?? '', /apt-get/);
  await execa('apt-get', ['purge', '-y', '-qq', 'hello']);
});
