import test from 'ava';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mainCluster, runCli, snapshot } from '../helpers/cli.js';

/**
 * Every bad input ends with exit code 2, a message naming the field, and no file changed.
 * Runs the real binary in a private network namespace (unshare --net) whose only interface
 * is loopback, with 127.0.0.11 (master) and 127.0.0.12 (slave) as this "machine's" addresses.
 */
const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const both = { addresses: ['127.0.0.11', '127.0.0.12'] };

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'ha-refuse-'));
  const state = join(dir, 'state');
  const logs = join(dir, 'logs');
  const watched = [state, mainCluster, '/etc/haproxy'];
  return { dir, state, logs, common: ['--state-dir', state, '--log-dir', logs], before: snapshot(watched), after: () => snapshot(watched) };
}

async function refused(t: import('ava').ExecutionContext, args: string[], expect: RegExp[], options: Parameters<typeof runCli>[1] = {}) {
  const w = workspace();
  const result = await runCli([...args, ...w.common], { netns: both, ...options });
  t.is(result.exitCode, 2, `exit code 2 expected; stderr:\n${result.stderr}`);
  for (const pattern of expect) t.regex(result.stderr, pattern);
  t.is(w.after(), w.before, 'no file changed');
  t.false(existsSync(w.state), 'no state written');
  return result;
}

const master = ['--mode', 'master', '--dry-run', '--facts', join(fixtures, 'machines/good-server.json')];

test('invalid IP address names master-ip and the bad part', async (t) => {
  await refused(t, [...master, '--master-ip', '192.168.0.300', '--slave-ip', '127.0.0.12'], [/master-ip/, /192\.168\.0\.300/, /"300"/]);
});

test('master and slave the same', async (t) => {
  await refused(t, [...master, '--master-ip', '127.0.0.11', '--slave-ip', '127.0.0.11'], [/slave-ip/, /same as master-ip/]);
});

test('the role address is not one of this machine\'s, and the message lists those that are', async (t) => {
  const file = answersFile('mode: master\nmaster-ip: 127.0.0.11\nslave-ip: 127.0.0.12\npostgresql:\n  backup-password: env:HA_TEST_PASSWORD\n');
  await refused(t, ['--answers', file, '--dry-run', '--facts', join(fixtures, 'machines/good-server-slave.json')], [/master-ip/, /127\.0\.0\.11 is not an address of this machine/, /127\.0\.0\.12 \(lo\)/], {
    env: { HA_TEST_PASSWORD: 'Corr3ct-Horse-Battery' },
  });
});

test('an unreachable peer (unreachable route in a private namespace) is refused', async (t) => {
  const answers = join(mkdtempSync(join(tmpdir(), 'ha-ans-')), 'a.yaml');
  writeFileSync(answers, 'mode: load-balancer\nmaster-ip: 127.0.0.11\nslave-ip: 127.0.0.12\nbalancer-ip: 127.0.0.10\nreachability:\n  ping-count: 1\n  timeout-seconds: 1\n', { mode: 0o600 });
  const result = await refused(t, ['--answers', answers, '--dry-run', '--facts', join(fixtures, 'machines/good-balancer.json')], [/slave-ip/, /does not answer/], {
    netns: { addresses: ['127.0.0.10', '127.0.0.11'], unreachable: ['127.0.0.12'] },
  });
  t.notRegex(result.stderr, /master-ip/, 'the master answered');
});

function answersFile(text: string, mode = 0o600): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ha-ans-')), 'answers.yaml');
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

test('a YAML syntax error gives line and column', async (t) => {
  await refused(t, ['--answers', answersFile('mode: master\nmaster-ip: [127.0.0.11\nslave-ip: 127.0.0.12\n'), '--dry-run'], [/line \d+, column \d+/]);
});

test('an unknown key gets a did-you-mean', async (t) => {
  await refused(t, ['--answers', answersFile('mode: master\nmaster_ip: 127.0.0.11\nslave-ip: 127.0.0.12\n'), '--dry-run'], [/master_ip/, /did you mean .*master-ip/i]);
});

test('a wrong type names the key and the expected type', async (t) => {
  await refused(t, ['--answers', answersFile('mode: load-balancer\nmaster-ip: 127.0.0.11\nslave-ip: 127.0.0.12\npostgresql:\n  port: abc\n'), '--dry-run'], [/postgresql\.port/, /abc/]);
});

test('missing required keys are all listed at once', async (t) => {
  const result = await refused(t, ['--answers', answersFile('mode: master\n'), '--dry-run'], [/master-ip/, /slave-ip/, /postgresql\.backup-password/]);
  t.regex(result.stderr, /3 problems/);
});

test('a plaintext secret in a world-readable answers file is refused, without showing it', async (t) => {
  const file = answersFile('mode: master\nmaster-ip: 127.0.0.11\nslave-ip: 127.0.0.12\npostgresql:\n  backup-password: Sup3r-Secret-Pass!\n', 0o644);
  const result = await refused(t, ['--answers', file, '--dry-run'], [/postgresql\.backup-password/, /chmod 600|env:/]);
  t.notRegex(result.stderr, /Sup3r-Secret-Pass!/);
});

test('too little RAM, cores and disk stop the install with what to do', async (t) => {
  await refused(t, ['--mode', 'load-balancer', '--master-ip', '127.0.0.11', '--slave-ip', '127.0.0.12', '--balancer-ip', '127.0.0.10', '--dry-run', '--facts', join(fixtures, 'machines/small-vm-2gb.json')], [
    /RAM/,
    /CPU cores/,
    /Free disk/,
    /ignore-requirements/,
  ]);
});

test('an unsupported OS is refused', async (t) => {
  await refused(t, ['--mode', 'standalone', '--dry-run', '--facts', join(fixtures, 'machines/unsupported-os.json')], [/Operating system/, /Arch Linux/]);
});

test('not root: run with sudo', async (t) => {
  await refused(t, ['--mode', 'master', '--master-ip', '127.0.0.11', '--slave-ip', '127.0.0.12'], [/run it as root: sudo node \S+\/bin\/ha-install\.js --mode master --master-ip 127\.0\.0\.11 --slave-ip 127\.0\.0\.12/], { user: 'nobody' });
});

test('no terminal and no answers file lists the flags and keys needed', async (t) => {
  const result = await refused(t, ['--dry-run'], [/No terminal/, /mode/, /--mode/]);
  t.regex(result.stderr, /answers/);
});

test('--ignore-requirements lets a small machine go on, and the log records it', async (t) => {
  const w = workspace();
  const result = await runCli(
    // Standalone: the requirement check is every mode's, and this mode needs no peer to answer.
    ['--mode', 'standalone', '--dry-run', '--ignore-requirements', '--facts', join(fixtures, 'machines/small-vm-2gb.json'), ...w.common],
    { netns: both },
  );
  t.is(result.exitCode, 0, result.stderr);
  const log = readFileSync(join(w.logs, (await import('node:fs')).readdirSync(w.logs)[0]!), 'utf8');
  t.regex(log, /IGNORED/);
});
