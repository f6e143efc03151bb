import test from 'ava';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answersFile, masterYaml, measured, password, refusedBothWays, scratch } from '../helpers/hostile.js';

/**
 * Values that would land in a file PostgreSQL reads, or in an argv: each is refused by the
 * field's own check, the same way by `answers validate` and by a dry run, before anything runs.
 */
const env = { HA_BACKUP_PASSWORD: password };
const pg = (lines: string) => masterYaml(`postgresql:\n  backup-password: env:HA_BACKUP_PASSWORD\n${lines}`);

test('socket-dir: extra lines, relative paths, lists, dot parts and paths a socket cannot have', async (t) => {
  const cases: Array<[string, RegExp]> = [
    [`  socket-dir: "/tmp/a\\nlisten_addresses = '*'"\n`, /postgresql\.socket-dir: contains a line break/],
    [`  socket-dir: "/tmp/a\\rport = 1"\n`, /postgresql\.socket-dir: contains a carriage return/],
    ['  socket-dir: run/postgresql\n', /postgresql\.socket-dir: "run\/postgresql" is not an absolute path/],
    ['  socket-dir: "/tmp/a,/tmp/b"\n', /postgresql\.socket-dir: contains a comma or a double quote/],
    ['  socket-dir: /var/run/../../etc\n', /postgresql\.socket-dir: contains \. or \.\. parts/],
    [`  socket-dir: /${'d'.repeat(100)}\n`, /postgresql\.socket-dir: .* 101 bytes long; at most 92/],
    [`  socket-dir: "/tmp/\\u202Eevil"\n`, /postgresql\.socket-dir: contains the control character U\+202E/],
  ];
  for (const [line, message] of cases) await refusedBothWays(t, answersFile(pg(line)), message, line.trim(), env);
});

test('names and lists: control characters, lengths, shapes', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['  cluster: "main\\nx"\n', /postgresql\.cluster: contains a line break/],
    [`  cluster: ${'c'.repeat(64)}\n`, /postgresql\.cluster: .* 64 bytes long; at most 63/],
    ['  cluster: ../etc\n', /postgresql\.cluster: "\.\.\/etc" is not a cluster name/],
    [`  slot: ${'s'.repeat(64)}\n`, /postgresql\.slot: .* 64 bytes long; at most 63/],
    ['  slot: "Ha-Slave"\n', /postgresql\.slot: is not a plain slot name/],
  ];
  for (const [line, message] of cases) await refusedBothWays(t, answersFile(pg(line)), message, line.trim(), env);
  const many = `packages:\n  extra: [${Array.from({ length: 51 }, (_, i) => `p${i}`).join(', ')}]\n`;
  await refusedBothWays(t, answersFile(masterYaml(`${many}postgresql:\n  backup-password: env:HA_BACKUP_PASSWORD\n`)), /packages\.extra: has 51 items; at most 50/, '51 packages', env);
  const option = 'packages:\n  extra: ["-o=APT::Get::AllowUnauthenticated=1"]\n';
  await refusedBothWays(t, answersFile(masterYaml(`${option}postgresql:\n  backup-password: env:HA_BACKUP_PASSWORD\n`)), /packages\.extra: .* is not a package name/, 'an apt option', env);
});

test('a password with a line break, a tab or 101 bytes is refused from env:, file: and plain text alike, never shown', async (t) => {
  const bad = ['Line1-Passw0rd!\nsecond:line', 'Tab-Passw0rd!\there', `L0ng-${'p'.repeat(96)}`];
  for (const value of bad) {
    const message = value.length > 100 ? /postgresql\.backup-password: is 101 bytes long; at most 100/ : /postgresql\.backup-password: contains a (line break|tab)/;
    await refusedBothWays(t, answersFile(pg('')), message, `env: ${JSON.stringify(value.slice(0, 12))}`, { HA_BACKUP_PASSWORD: value });
    const dir = scratch();
    const secret = join(dir, 'pw');
    // A file's first line is the password: a tab or length shows there; a line break ends the line.
    writeFileSync(secret, `${value.replace('\n', '\r')}\n`);
    chmodSync(secret, 0o600);
    await refusedBothWays(t, answersFile(masterYaml(`postgresql:\n  backup-password: file:${secret}\n`)), value.length > 100 ? message : /postgresql\.backup-password: contains a (carriage return|tab)/, 'file:', {});
    await refusedBothWays(t, answersFile(masterYaml(`postgresql:\n  backup-password: ${JSON.stringify(value)}\n`)), message, 'plain text', {});
  }
  const result = await measured(['answers', 'validate', answersFile(pg(''))], { env: { HA_BACKUP_PASSWORD: bad[0]! } });
  t.false(result.stderr.includes('second:line'), 'the password is never shown');
});

test('env: and file: references themselves are bounded', async (t) => {
  await refusedBothWays(t, answersFile(masterYaml(`postgresql:\n  backup-password: env:${'V'.repeat(200)}\n`)), /postgresql\.backup-password: env:"V{40}…" \(200 characters\) is not a valid environment variable name/, 'long env name', {});
  await refusedBothWays(t, answersFile(masterYaml('postgresql:\n  backup-password: file:/dev/zero\n')), /postgresql\.backup-password: secret file \/dev\/zero is a character device, not a regular file/, 'file:/dev/zero', {});
});
