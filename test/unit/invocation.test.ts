import test from 'ava';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLine, detectInvocation } from '../../src/system/invocation.js';

/** Printed commands name the program the way this run was started, with sudo only when it came through sudo. */

const script = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ha-invocation-'));
  const path = join(dir, 'ha-install.js');
  writeFileSync(path, '');
  chmodSync(path, 0o755);
  return { dir, path };
};

const npx = { npm_command: 'exec', npm_lifecycle_script: "'ha-install'" }; // as npm 11 sets it for `npx ha-install ...`

test('npx (npm exec) prints npx ha-install; through sudo it prints sudo first', (t) => {
  t.is(commandLine(detectInvocation(npx, '/x/bin/ha-install.js'), ['status']), 'npx ha-install status');
  t.is(commandLine(detectInvocation({ ...npx, SUDO_USER: 'alice' }, '/x/bin/ha-install.js'), ['status']), 'sudo npx ha-install status');
});

test('under another npx command (npx ava running a test) the run is not npx ha-install', (t) => {
  t.is(commandLine(detectInvocation({ npm_command: 'exec', npm_lifecycle_script: 'ava test/e2e' }, '/x/bin/ha-install.js'), ['status']), 'node /x/bin/ha-install.js status');
});

test('a root shell without sudo gets no sudo: it may not even have one', (t) => {
  t.is(commandLine(detectInvocation({ ...npx, SUDO_USER: 'root' }, '/x'), ['status']), 'npx ha-install status');
  t.is(commandLine(detectInvocation({}, '/x/bin/ha-install.js'), ['status']), 'node /x/bin/ha-install.js status');
});

test('the bin on PATH prints ha-install; a clone run by path prints node and the path', (t) => {
  const { dir, path } = script();
  const bin = mkdtempSync(join(tmpdir(), 'ha-path-'));
  symlinkSync(path, join(bin, 'ha-install'));
  t.is(commandLine(detectInvocation({ PATH: `/nowhere:${bin}` }, path), ['demo', '--down']), 'ha-install demo --down');
  t.is(commandLine(detectInvocation({ PATH: '/nowhere' }, path), ['demo', '--down']), `node ${path} demo --down`);
  t.truthy(dir);
});

test('arguments a shell would split are quoted', (t) => {
  t.is(commandLine({ program: ['ha-install'], sudo: false }, ['--state-dir', '/tmp/my state']), "ha-install --state-dir '/tmp/my state'");
});
