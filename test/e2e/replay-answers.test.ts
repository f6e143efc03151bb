import test from 'ava';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mainCluster, runCli, snapshot } from '../helpers/cli.js';

/**
 * Every example answers file is replayed unattended in dry-run mode against a recorded
 * machine, inside a private network namespace where the pair's addresses are loopback aliases.
 */
const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const env = { HA_BACKUP_PASSWORD: 'Corr3ct-Horse-Battery' };
const machineFor: Record<string, string> = { 'slave.yaml': 'good-server-slave.json', 'load-balancer.yaml': 'good-balancer.json' };

for (const file of readdirSync(join(fixtures, 'answers')).filter((f) => f.endsWith('.yaml'))) {
  test(`replays ${file} in dry-run mode`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-replay-'));
    const watched = [join(dir, 'state'), mainCluster, '/etc/haproxy'];
    const before = snapshot(watched);
    const result = await runCli(
      ['--answers', join(fixtures, 'answers', file), '--dry-run', '--facts', join(fixtures, 'machines', machineFor[file] ?? 'good-server.json'), '--state-dir', join(dir, 'state'), '--log-dir', join(dir, 'logs')],
      { netns: { addresses: ['127.0.0.10', '127.0.0.11', '127.0.0.12'] }, env },
    );
    t.is(snapshot(watched), before, 'a dry run changes nothing');
    if (file === 'slave.yaml') {
      // No master runs in this namespace: the slave's preflight must refuse, naming the master.
      t.is(result.exitCode, 2, result.stderr);
      t.regex(result.stderr, /127\.0\.0\.11/);
      t.regex(result.stderr, /preflight/i);
      return;
    }
    if (file === 'load-balancer.yaml') {
      // No agent runs in this namespace: the balancer's preflight refuses, naming both nodes.
      t.is(result.exitCode, 2, result.stderr);
      t.regex(result.stderr, /agent on the master 127\.0\.0\.11/);
      t.regex(result.stderr, /agent on the slave 127\.0\.0\.12/);
      return;
    }
    t.is(result.exitCode, 0, result.stderr);
    t.regex(result.stderr, /Dry run complete/);
    t.regex(result.stderr, /Install OS packages|OS packages (skipped|already installed)/);
    t.notRegex(result.stderr + result.stdout, /Corr3ct-Horse-Battery/);
  });
}

test('invalid example files are all refused with exit code 2', async (t) => {
  for (const file of readdirSync(join(fixtures, 'answers', 'invalid'))) {
    const result = await runCli(['answers', 'validate', join(fixtures, 'answers', 'invalid', file)], { env });
    t.is(result.exitCode, 2, `${file}: ${result.stderr}`);
    t.regex(result.stderr, /✖/, file);
  }
});
