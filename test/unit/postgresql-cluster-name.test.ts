import test from 'ava';
import { clusterNameRow } from '../../installers/postgresql/index.js';

test('a dashed cluster name is refused on systemd, naming postgresql.cluster and a name that works', (t) => {
  const row = clusterNameRow('ha-demo', 15, 'systemd');
  t.like(row, { field: 'postgresql.cluster', verdict: 'fail', fix: 'set postgresql.cluster: ha_demo (letters, digits and _ only)' });
  t.regex(row!.measured, /postgresql@15-ha-demo reads it back as 15\/ha\/demo/);
});

test('without systemd, or without a dash, the name passes', (t) => {
  t.is(clusterNameRow('ha-demo', 15, 'none'), undefined);
  t.is(clusterNameRow('ha_demo_11', 15, 'systemd'), undefined);
});
