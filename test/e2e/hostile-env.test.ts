import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childEnvironment, run } from '../../src/system/exec.js';
import { Logger } from '../../src/system/log.js';
import { answersFile, masterYaml, pair, scratch, workspace } from '../helpers/hostile.js';
import { runCli } from '../helpers/cli.js';

/**
 * What children inherit. strace records the environment of every program the binary starts:
 * the variable an env: secret was read from reaches none (it leaves the process once read),
 * even when its name (LC_...) is one children may have. The programs exec.ts starts get the
 * whitelist alone; systeminformation's shell commands (df, /proc readers) get the admin's
 * environment minus the secret, as that library copies process.env itself.
 */
const secret = 'Str4ce-Sees-Every-Exec!';

test('no child of a dry run sees the env: secret variable, its value, or a variable outside the whitelist', async (t) => {
  const trace = join(scratch(), 'execve.txt');
  const w = workspace();
  const file = answersFile(masterYaml('postgresql:\n  backup-password: env:LC_HA_SECRET\n'));
  const result = await runCli(['--answers', file, '--dry-run', ...w.common], {
    netns: pair,
    env: { LC_HA_SECRET: secret, HA_UNRELATED_PROBE: 'probe-value', LANG: 'C.UTF-8' },
    wrap: ['strace', '-f', '-qq', '-v', '-s', '4096', '-e', 'trace=execve', '-o', trace],
  });
  t.is(result.exitCode, 0, result.stderr);
  // Each successful exec of a child, after node's own start.
  const children = readFileSync(trace, 'utf8')
    .split('\n')
    .filter((line) => /execve\("[^"]+", \["(?!node")/.test(line) && line.endsWith('= 0') && !line.includes('"/usr/bin/time"'));
  const names = children.map((line) => /\["([^"]+)"/.exec(line)?.[1]);
  t.true(names.includes('ping'), `ping ran: ${names.join(' ')}`);
  t.true(names.includes('pg_lsclusters'), `pg_lsclusters ran: ${names.join(' ')}`);
  const viaExec = new Set(['ping', 'pg_lsclusters', 'runuser', 'psql']);
  for (const line of children) {
    const name = /\["([^"]+)"/.exec(line)?.[1] ?? '';
    t.false(line.includes('LC_HA_SECRET'), `${name} inherited the secret's variable`);
    t.false(line.includes(secret), `${name} saw the secret`);
    if (viaExec.has(name)) t.false(line.includes('HA_UNRELATED_PROBE'), `${name} inherited a variable outside the whitelist`);
  }
  t.true(children.some((line) => line.includes('"LANG=C.UTF-8"')), 'whitelisted variables still pass');
});

test('exec.ts passes the whitelist and what the call gives, and no value registered as a secret', async (t) => {
  const log = new Logger(join(scratch(), 'run.log'));
  log.redact('registered-secret-value');
  const from = { PATH: process.env.PATH, LANG: 'C', LC_TIME: 'registered-secret-value', HTTPS_PROXY: 'http://proxy:3128', AWS_SECRET_ACCESS_KEY: 'x', SSH_AUTH_SOCK: '/tmp/agent' };
  t.deepEqual(childEnvironment(log, { PGAPPNAME: 'ha-install' }, from), { PATH: process.env.PATH, LANG: 'C', HTTPS_PROXY: 'http://proxy:3128', PGAPPNAME: 'ha-install' });
  process.env.HA_EXEC_PROBE = 'seen';
  try {
    const { stdout } = await run(['env'], log, { env: { GIVEN: '1' } });
    const names = stdout.trim().split('\n').map((line) => line.split('=')[0]);
    t.true(names.includes('GIVEN') && names.includes('PATH'));
    t.false(names.includes('HA_EXEC_PROBE'));
  } finally {
    delete process.env.HA_EXEC_PROBE;
  }
});
