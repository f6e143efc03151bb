import test from 'ava';
import { gucString, hbaName, hbaNetwork, passwordProblem, pgpassField, pgpassFields, socketDirProblem } from '../../installers/postgresql/file-formats.js';
import { mergePgpass, pgpassLine } from '../../installers/postgresql/config.js';
import { replicationRoleProblem } from '../../installers/postgresql/names.js';
import { checkAddress, sameAddress } from '../../src/system/address.js';
import { BugError } from '../../src/system/errors.js';
import { controlCharacter, excerpt, pathTextProblem } from '../../src/system/text-checks.js';

test('the quoting functions refuse what validation refuses: a value that slipped through is a bug, not an extra line', (t) => {
  t.is(gucString("/tmp/it's\\here"), "'/tmp/it''s\\\\here'");
  t.throws(() => gucString("/tmp/a\nlisten_addresses = '*'"), { instanceOf: BugError });
  t.throws(() => pgpassField('pw\nlocalhost:*:*:postgres:x'), { instanceOf: BugError });
  for (const name of ['all', 'replication', '+group', '@file', 'Upper', 'a b']) t.throws(() => hbaName(name), { instanceOf: BugError }, name);
  for (const address of ['fe80::1%eth0', 'db1.example.com', '::ffff:127.0.0.11', '127.0.0.011']) t.throws(() => hbaNetwork(address), { instanceOf: BugError }, address);
  t.is(hbaNetwork('fd00::12'), 'fd00::12/128');
});

test('.pgpass: ":" and "\\" escaped, and read back field by field as libpq does', (t) => {
  const password = 'a:b\\c::\\\\d';
  const line = pgpassLine({ host: 'fd00::11', port: 5432, user: 'replicator', password });
  t.deepEqual(pgpassFields(line), ['fd00::11', '5432', '*', 'replicator', password]);
  // A re-run with another password replaces the line for that host, port and user, not another's.
  const other = 'fd00\\:\\:12:5432:*:replicator:keep';
  const merged = mergePgpass(`${line}\n${other}\n`, [{ host: 'fd00::11', port: 5432, user: 'replicator', password: 'new' }]);
  t.deepEqual(merged.trim().split('\n'), [other, 'fd00\\:\\:11:5432:*:replicator:new']);
});

test('field checks: socket folders, passwords, replication roles', (t) => {
  t.is(socketDirProblem('/var/run/postgresql/ha'), undefined);
  t.regex(socketDirProblem('/a\nb')?.message ?? '', /line break/);
  t.regex(socketDirProblem(`/${'x'.repeat(92)}`)?.message ?? '', /93 bytes long/);
  t.is(passwordProblem('aqwe123@:\\ü\u00a0ﬁ-Pw'), undefined, 'the pair test\'s password is fine');
  t.regex(passwordProblem('a\u0000b')?.message ?? '', /NUL/);
  t.regex(passwordProblem('é'.repeat(51))?.message ?? '', /102 bytes long/);
  t.is(replicationRoleProblem('replicator'), undefined);
  for (const name of ['postgres', 'pg_signal_backend', 'public', 'session_user', 'samerole']) t.truthy(replicationRoleProblem(name), name);
});

test('addresses are canonical and compared as addresses', (t) => {
  t.like(checkAddress('::ffff:127.0.0.11'), { ok: true, kind: 'ipv4', value: '127.0.0.11' });
  t.like(checkAddress('[FD00:0000::0011]'), { ok: true, kind: 'ipv6', value: 'fd00::11' });
  t.true(sameAddress('127.0.0.11', '[::ffff:7f00:b]'));
  t.false(sameAddress('127.0.0.11', '127.0.0.12'));
  t.like(checkAddress('010.0.0.1'), { ok: false });
  t.like(checkAddress('fe80::1%eth0'), { ok: false });
  t.like(checkAddress('0x7f000001'), { ok: false });
  t.like(checkAddress('db1'), { ok: true, kind: 'hostname' });
});

test('text checks: control and format characters, excerpts, path parts', (t) => {
  t.is(controlCharacter('tab\there'), 'a tab');
  t.is(controlCharacter('rtl\u202e'), undefined, 'format characters only when asked');
  t.is(controlCharacter('rtl\u202e', { format: true }), 'the control character U+202E');
  t.is(excerpt('a\x1b[31m"'), '"a\\u{1b}[31m\\""');
  t.regex(excerpt('x'.repeat(1000)), /^"x{40}…" \(1000 characters\)$/);
  t.regex(pathTextProblem(`/tmp/${'p'.repeat(256)}`) ?? '', /part of 256 bytes/);
  t.regex(pathTextProblem('relative', { absolute: true }) ?? '', /not an absolute path/);
});
