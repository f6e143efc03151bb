import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupStore } from '../../src/engine/backups.js';
import { Inventory, itemKey } from '../../src/engine/inventory.js';
import { Journal } from '../../src/engine/journal.js';
import { applyPlan } from '../../src/engine/runner.js';
import type { Plan } from '../../src/engine/actions.js';
import { Logger } from '../../src/system/log.js';
import { fileRemovals, standaloneConf, withoutPgpassEntries } from '../../installers/postgresql/teardown-files.js';

/** What the install records, what teardown makes of it, and the engine's removals: backed up, then forgotten, then nothing to do. */
const dir = () => mkdtempSync(join(tmpdir(), 'ha-teardown-'));

async function apply(plan: Plan, folder: string, inventory: Inventory) {
  const journal = new Journal(join(folder, `journal-${Math.random()}.json`), plan);
  await applyPlan(plan, { log: new Logger(undefined), backups: new BackupStore(join(folder, 'backups')), journal, onEvent: () => undefined, secrets: {}, stamp: 'T', inventory });
}

test('an action records what it creates once, however often it runs; pgpass entries are merged', (t) => {
  const folder = dir();
  const inventory = new Inventory(join(folder, 'inventory.json'), 'install');
  inventory.record({ kind: 'file', path: '/x' });
  inventory.record({ kind: 'file', path: '/x' });
  inventory.record({ kind: 'pgpass', path: '/p', entries: [{ host: 'a', port: 1, user: 'u' }] });
  inventory.record({ kind: 'pgpass', path: '/p', entries: [{ host: 'a', port: 1, user: 'u' }, { host: 'b', port: 1, user: 'u' }] });
  const again = new Inventory(join(folder, 'inventory.json'), 'teardown');
  t.is(again.entries.length, 2);
  t.deepEqual(again.entries[1]?.item, { kind: 'pgpass', path: '/p', entries: [{ host: 'a', port: 1, user: 'u' }, { host: 'b', port: 1, user: 'u' }] });
  t.is(again.entries[0]?.by, 'install');
});

test('teardown removes a file and a marked block, each backed up first, and forgets them; a second run has nothing to do', async (t) => {
  const folder = dir();
  const [file, hba] = [join(folder, 'ha-install-postgres'), join(folder, 'pg_hba.conf')];
  writeFileSync(file, '#!/bin/sh\n');
  writeFileSync(hba, '# BEGIN ha-install\nhost replication r 127.0.0.12/32 scram-sha-256\n# END ha-install\nlocal all all peer\n');
  const inventory = new Inventory(join(folder, 'inventory.json'), 'install');
  inventory.record({ kind: 'file', path: file });
  inventory.record({ kind: 'block', path: hba, marker: 'ha-install' });
  await apply({ title: 'teardown', notes: [], actions: fileRemovals(inventory.entries) }, folder, inventory);
  t.false(existsSync(file));
  t.is(readFileSync(hba, 'utf8'), 'local all all peer\n');
  t.is(readFileSync(join(folder, 'backups', file), 'utf8'), '#!/bin/sh\n', 'the removed file was backed up');
  t.regex(readFileSync(join(folder, 'backups', hba), 'utf8'), /# BEGIN ha-install/);
  t.deepEqual(new Inventory(join(folder, 'inventory.json'), 'x').entries, []);
  t.deepEqual(fileRemovals(new Inventory(join(folder, 'inventory.json'), 'x').entries), [], 'nothing left to plan');
});

test('the pg_ctl.conf guard block goes first: a node started half-way through must not ask its old peer', (t) => {
  const actions = fileRemovals([
    { item: { kind: 'block', path: '/etc/postgresql/15/main/pg_hba.conf', marker: 'ha-install' }, by: 'install', at: '' },
    { item: { kind: 'block', path: '/etc/postgresql/15/main/pg_ctl.conf', marker: 'ha-install guard' }, by: 'install', at: '' },
  ]);
  t.deepEqual(actions.map((a) => a.removes?.[0]), [itemKey({ kind: 'block', path: '/etc/postgresql/15/main/pg_ctl.conf', marker: 'ha-install guard' }), itemKey({ kind: 'block', path: '/etc/postgresql/15/main/pg_hba.conf', marker: 'ha-install' })]);
});

test('the conf.d file keeps everything but the standby settings; .pgpass keeps the admin\'s own lines', (t) => {
  const conf = "# primary_conninfo and primary_slot_name only count on a standby.\nlisten_addresses = '127.0.0.11'\nprimary_conninfo = 'host=127.0.0.12'\nprimary_slot_name = 'ha_slave'\nport = 5432\n";
  t.is(standaloneConf(conf), "listen_addresses = '127.0.0.11'\nport = 5432\n");
  const pgpass = '# mine\n127.0.0.11:5432:*:replicator:secret\ndb.example:5432:*:app:other\n127.0.0.12:5432:*:replicator:secret\n';
  t.is(withoutPgpassEntries(pgpass, [{ host: '127.0.0.11', port: 5432, user: 'replicator' }, { host: '127.0.0.12', port: 5432, user: 'replicator' }]), '# mine\ndb.example:5432:*:app:other\n');
});
