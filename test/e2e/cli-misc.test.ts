import test from 'ava';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const temp = () => mkdtempSync(join(tmpdir(), 'ha-misc-'));

test('--help teaches: the flow, examples, precedence, exit codes', async (t) => {
  const { exitCode, stdout } = await runCli(['--help']);
  t.is(exitCode, 0);
  for (const text of ['--answers <file>', '--dry-run', 'answers init', 'Exit codes:', '130', 'env:NAME', 'first the master (mode 2)']) t.true(stdout.includes(text), text);
});

test('a reader that goes away (--help | head -1) ends nothing badly: exit 0, no EPIPE trace', async (t) => {
  const bin = new URL('../../bin/ha-install.js', import.meta.url).pathname;
  const child = execa('node', [bin, '--help'], { reject: false });
  child.stdout?.destroy(); // the read end closes before the program (~0.1 s to start) writes
  const { exitCode, stderr } = await child;
  t.is(exitCode, 0);
  t.false(String(stderr).includes('EPIPE'), String(stderr));
});

test('without a ping binary the TCP probe alone decides, and says so', async (t) => {
  const dir = temp();
  const result = await runCli(
    ['--mode', 'load-balancer', '--master-ip', '127.0.0.11', '--slave-ip', '127.0.0.12', '--balancer-ip', '127.0.0.10', '--dry-run', '--facts', join(fixtures, 'machines/no-ping-balancer.json'), '--state-dir', join(dir, 's'), '--log-dir', join(dir, 'l')],
    { netns: { addresses: ['127.0.0.10', '127.0.0.11', '127.0.0.12'] } },
  );
  // Both hosts count as up on the TCP probe alone, so the run goes on to the balancer's preflight
  // (which refuses: no agent runs in this namespace).
  t.is(result.exitCode, 2, result.stderr);
  t.regex(result.stderr, /Step 9\/13: Preflight checks/);
  t.regex(result.stderr, /ping\s+not installed/);
  // At 80 columns the table may put the address on a line of its own under "master", and
  // where the rest of a cell wraps depends on the milliseconds measured.
  t.regex(result.stderr, /master(\s+127\.0\.0\.11)?\s+ping not installed; tcp\/5432 refused/);
});

test('answers init writes a 0600 template that validates, and never overwrites without --force', async (t) => {
  const file = join(temp(), 'answers.yaml');
  t.is((await runCli(['answers', 'init', file])).exitCode, 0);
  t.is(statSync(file).mode & 0o777, 0o600);
  t.regex(readFileSync(file, 'utf8'), /backup-password: env:HA_BACKUP_PASSWORD/);
  const again = await runCli(['answers', 'init', file]);
  t.is(again.exitCode, 2);
  t.regex(again.stderr, /already exists.*--force/s);
  const valid = await runCli(['answers', 'validate', file], { env: { HA_BACKUP_PASSWORD: 'Corr3ct-Horse-Battery' } });
  t.is(valid.exitCode, 0, valid.stderr);
  t.regex(valid.stdout, /is valid: mode master, master 192\.168\.0\.137, slave 192\.168\.0\.118/);
  const stdout = await runCli(['answers', 'init']);
  t.regex(stdout.stdout, /^# ha-install answers file/);
});

test('answers validate needs no root and reports every problem at once', async (t) => {
  const result = await runCli(['answers', 'validate', join(fixtures, 'answers/invalid/missing-keys.yaml')], { user: 'nobody' });
  t.is(result.exitCode, 2);
  t.regex(result.stderr, /master-ip/);
  t.regex(result.stderr, /slave-ip/);
});

test('an unknown flag, and a --json run missing its answers, are invalid input (exit 2)', async (t) => {
  const bogus = await runCli(['--bogus']);
  t.is(bogus.exitCode, 2);
  t.regex(bogus.stderr, /unknown option '--bogus'/);
  const json = await runCli(['--json', '--dry-run', '--facts', join(fixtures, 'machines/good-server.json')]);
  t.is(json.exitCode, 2, json.stderr);
  t.regex(json.stderr, /mode: is required/);
});
