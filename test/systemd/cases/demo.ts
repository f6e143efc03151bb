import assert from 'node:assert/strict';
import type { Container } from '../../../scripts/systemd/container.js';
import { assertUnitRunsCluster, exits, psql, PG_VERSION, type SystemdCase } from '../case.js';

/** What `demo --down` must restore: the loopback, its routes, the clusters' folders. */
export async function machineState(box: Container): Promise<string> {
  return box.sh(`ip -o addr show dev lo; ip route show table local; ls /etc/postgresql/${PG_VERSION} /var/lib/postgresql/${PG_VERSION}; ls -a /var/lib/postgresql`);
}

/** `ha-install demo` under systemd: both clusters start through their units and stream. */
export const demo: SystemdCase = {
  title: 'demo builds a healthy pair, each cluster run by its postgresql@ unit',
  async run(t) {
    t.memo.set('before-demo', await machineState(t.box));
    const r = await t.cli(['demo']);
    exits(r, 0, 'ha-install demo');
    assert.match(r.stdout, /The pair is healthy\./);
    t.note(`demo: ${/Demo pair ready in [\d.]+ s/.exec(r.stdout)?.[0] ?? 'no timing printed'}`);
    await assertUnitRunsCluster(t.box, 'ha_demo_11');
    await assertUnitRunsCluster(t.box, 'ha_demo_12');
    const standby = await psql(t.box, '/var/run/postgresql/ha_demo_12', 5440, 'SELECT pg_is_in_recovery(), (SELECT status FROM pg_stat_wal_receiver)');
    assert.equal(standby.stdout.trim(), 't|streaming', standby.stderr);
  },
};
