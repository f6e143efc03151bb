import test from 'ava';
import { execa } from 'execa';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../helpers/cli.js';
import { scratch } from '../helpers/hostile.js';

/**
 * `npx ha-install` by a user who is not root, from a clone that has no dist/. npx runs the
 * `prepare` script first and hides what it prints: it used to end with exit 1 and no word.
 */
function clone(): { dir: string; home: string } {
  const base = scratch('ha-npx-');
  const dir = join(base, 'ha-install');
  for (const part of ['bin', 'scripts', 'package.json']) cpSync(join(root, part), join(dir, part), { recursive: true });
  const home = join(base, 'home');
  mkdirSync(home);
  return { dir, home };
}

async function asNobody(dir: string, home: string, command: string) {
  const env = { HOME: home, npm_config_cache: join(home, '.npm'), npm_config_update_notifier: 'false', npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
  // script(1) gives npx a terminal, as an admin has one.
  return execa('runuser', ['-u', 'nobody', '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'script', '-qec', command, '/dev/null'], { cwd: dir, reject: false, timeout: 120_000 });
}

test('a clone only root may write: prepare says so on the terminal instead of a silent exit 1', async (t) => {
  const { dir, home } = clone();
  await execa('chmod', ['-R', 'a+rX', join(dir, '..')]);
  await execa('chown', ['nobody', home]);
  const result = await asNobody(dir, home, 'npx ha-install --help');
  t.not(result.exitCode, 0);
  t.regex(String(result.stdout), /ha-install: nobody cannot write .*ha-install\/, so the program cannot be built or run from there/);
  t.regex(String(result.stdout), /sudo npm install/);
  const direct = await execa('runuser', ['-u', 'nobody', '--', 'node', join(dir, 'bin', 'ha-install.js'), '--help'], { reject: false });
  t.is(direct.exitCode, 2);
  t.regex(String(direct.stderr), /the program is not built: .*dist\/cli\.js is missing\.\n.*nobody cannot write/);
});

test('a clone of the user\'s own without dependencies: npx reaches the launcher, which says how to build', async (t) => {
  const { dir, home } = clone();
  await execa('chmod', ['-R', 'a+rX', join(dir, '..')]);
  await execa('chown', ['-R', 'nobody', dir, home]);
  const result = await asNobody(dir, home, 'npx ha-install --help');
  t.is(result.exitCode, 2, String(result.stdout));
  t.regex(String(result.stdout), /ha-install: the program is not built: .*dist\/cli\.js is missing\.\r?\n\s+Build it: cd .* && npm install/);
});
