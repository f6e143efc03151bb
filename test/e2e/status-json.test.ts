import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

/**
 * `status --json` is for scripts and monitoring: whatever happens, stdout holds one JSON
 * document and nothing else, errors included, and the exit code says the same as the text run.
 */
interface StatusDocument {
  healthy: boolean;
  nodes: unknown[];
  error?: { message: string; exitCode: number; problems: Array<{ field?: string; message: string; fix?: string }> };
}

function document(stdout: string): StatusDocument {
  const lines = stdout.trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one JSON document, got:\n${stdout}`);
  return JSON.parse(lines[0]!) as StatusDocument;
}

const folders: string[] = [];
test.after.always(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));
const empty = () => {
  folders.push(mkdtempSync(join(tmpdir(), 'ha-status-')));
  return join(folders.at(-1)!, 'state');
};

test('with no node installed, --json prints the error as one JSON document on stdout', async (t) => {
  const result = await runCli(['status', '--json', '--state-dir', empty()]);
  t.is(result.exitCode, 2);
  t.is(result.stderr, '');
  const status = document(result.stdout);
  t.false(status.healthy);
  t.deepEqual(status.nodes, []);
  t.is(status.error?.exitCode, 2);
  t.regex(status.error?.message ?? '', /No ha-install node on this machine/);
  t.regex(status.error?.problems[0]?.fix ?? '', /run the install first/);
});

test('an unknown flag and a missing root privilege are JSON too', async (t) => {
  const bogus = await runCli(['status', '--json', '--bogus']);
  t.is(bogus.exitCode, 2);
  t.is(bogus.stderr, '');
  t.regex(document(bogus.stdout).error?.message ?? '', /unknown option '--bogus'/);

  const notRoot = await runCli(['--json', 'status'], { user: 'nobody' });
  t.is(notRoot.exitCode, 2);
  t.is(notRoot.stderr, '');
  t.regex(document(notRoot.stdout).error?.message ?? '', /status needs root/);
});

test('without --json the same error stays text on stderr', async (t) => {
  const result = await runCli(['status', '--state-dir', empty()]);
  t.is(result.exitCode, 2);
  t.is(result.stdout, '');
  t.regex(result.stderr, /✖ No ha-install node on this machine/);
});
