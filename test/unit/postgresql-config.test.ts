import test from 'ava';
import { confFile, confQuote, hbaBlock, mergePgpass, pgpassLine, slotWalKeepMb } from '../../installers/postgresql/config.js';
import { saslPrep, scramMatches, scramVerifier } from '../../installers/postgresql/scram.js';
import { parseRows } from '../../installers/postgresql/sql.js';
import { serviceArgv } from '../../installers/postgresql/cluster.js';
import { cloneBytesNeeded } from '../../installers/postgresql/slave-preflight.js';

const GB = 1024 ** 3;
const base = { address: '10.0.0.11', port: 5432, freeBytes: 80 * GB, buildVersion: '0.1.0' };

test('the conf.d file: replication settings, listen on the node and localhost, version marker', (t) => {
  const text = confFile(base);
  for (const line of [
    "listen_addresses = '10.0.0.11,localhost'",
    'port = 5432',
    'wal_level = replica',
    'max_wal_senders = 10',
    'max_replication_slots = 10',
    'wal_log_hints = on',
    'hot_standby = on',
    "password_encryption = 'scram-sha-256'",
    "max_slot_wal_keep_size = '16384MB'",
    "synchronous_standby_names = ''",
    "ha_install.version = '0.1.0'",
  ]) {
    t.true(text.split('\n').includes(line), line);
  }
  t.false(text.includes('unix_socket_directories'));
});

test('the demo pair on loopback listens only on its own address, with its own socket directory', (t) => {
  const text = confFile({ ...base, address: '127.0.0.11', socketDir: '/var/run/postgresql/ha_demo_11', synchronousStandby: 'ha_slave' });
  t.regex(text, /^listen_addresses = '127\.0\.0\.11'$/m);
  t.regex(text, /^unix_socket_directories = '\/var\/run\/postgresql\/ha_demo_11'$/m);
  t.regex(text, /^synchronous_standby_names = 'ha_slave'$/m);
});

test('slot WAL cap: 20% of free disk in whole GB, between 1 GB and 100 GB', (t) => {
  t.is(slotWalKeepMb(80 * GB), 16 * 1024);
  t.is(slotWalKeepMb(80 * GB + 300 * 1024 ** 2), 16 * 1024, 'a few hundred MB more free changes nothing');
  t.is(slotWalKeepMb(2 * GB), 1024);
  t.is(slotWalKeepMb(10_000 * GB), 100 * 1024);
});

test('GUC quoting doubles quotes and backslashes', (t) => {
  t.is(confQuote("it's a\\b"), "'it''s a\\\\b'");
});

test('hba rules allow only the peer, for replication and the postgres database', (t) => {
  t.is(
    hbaBlock('replicator', '10.0.0.12'),
    'host    replication    replicator    10.0.0.12/32    scram-sha-256\nhost    postgres       replicator    10.0.0.12/32    scram-sha-256',
  );
  t.regex(hbaBlock('replicator', 'fd00::12'), /fd00::12\/128/);
});

test('.pgpass escapes : and \\ and replaces only our own lines', (t) => {
  t.is(pgpassLine({ host: '10.0.0.11', port: 5432, user: 'replicator', password: 'a:b\\c' }), '10.0.0.11:5432:*:replicator:a\\:b\\\\c');
  const existing = '# mine\nother:5432:*:app:secret\n10.0.0.11:5432:replication:replicator:old\n10.0.0.11:5433:*:replicator:keep\n';
  const merged = mergePgpass(existing, [
    { host: '10.0.0.11', port: 5432, user: 'replicator', password: 'new' },
    { host: '10.0.0.12', port: 5432, user: 'replicator', password: 'new' },
  ]);
  t.is(merged, '# mine\nother:5432:*:app:secret\n10.0.0.11:5433:*:replicator:keep\n10.0.0.11:5432:*:replicator:new\n10.0.0.12:5432:*:replicator:new\n');
  t.is(mergePgpass(merged, [{ host: '10.0.0.11', port: 5432, user: 'replicator', password: 'new' }, { host: '10.0.0.12', port: 5432, user: 'replicator', password: 'new' }]), merged);
});

test('SCRAM verifier: PostgreSQL format, verifiable, salted, SASLprep applied', (t) => {
  const salt = Buffer.alloc(16, 7);
  const verifier = scramVerifier('aqwe123@', { salt });
  t.regex(verifier, /^SCRAM-SHA-256\$4096:BwcHBwcHBwcHBwcHBwcHBw==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
  t.true(scramMatches('aqwe123@', verifier));
  t.false(scramMatches('aqwe123!', verifier));
  t.false(scramMatches('aqwe123@', 'md5abcdef'));
  t.not(scramVerifier('aqwe123@'), scramVerifier('aqwe123@'), 'a fresh salt each time');
  t.is(saslPrep('a\u00a0b\u00adc\ufb01'), 'a bcfi');
  t.true(scramMatches('cafe\u0301', scramVerifier('caf\u00e9')), 'decomposed and composed forms are one password');
});

test('psql rows: fields and records split, one row per line of each result', (t) => {
  t.deepEqual(parseRows('1\x1fa\x1e2\x1f\n3\n'), [['1', 'a'], ['2', ''], ['3']]);
  t.deepEqual(parseRows(''), []);
});

test('service operations use systemd units only when systemd runs', (t) => {
  const ref = { version: 15, name: 'main' };
  t.deepEqual(serviceArgv(ref, 'reload', 'systemd'), ['systemctl', 'reload', 'postgresql@15-main']);
  t.deepEqual(serviceArgv(ref, 'restart', 'none'), ['pg_ctlcluster', '15', 'main', 'restart']);
});

test('the clone needs the databases + 10% + 1 GB', (t) => {
  t.is(cloneBytesNeeded(10 * GB), 12 * GB);
});
