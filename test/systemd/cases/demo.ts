import assert from 'node:assert/strict';
import type { Container } from '../../../scripts/systemd/container.js';
import { assertUnitRunsCluster, exits, psql, PG_VERSION, unitState, type SystemdCase } from '../case.js';

/** The demo's own units: the agents, HAProxy, and (automatic failover, the demo's default) the monitors and the witness. */
export const demoUnits = [
  'ha-install-agent-15-ha-demo-11.service',
  'ha-install-agent-15-ha-demo-12.service',
  'ha-install-haproxy-ha_demo.service',
  'ha-install-monitor-15-ha-demo-11.service',
  'ha-install-monitor-15-ha-demo-12.service',
  'ha-install-witness-ha_demo.service',
];

/** What `demo --down` must restore: the loopback, its routes, the clusters' folders. */
export async function machineState(box: Container): Promise<string> {
  return box.sh(`ip -o addr show dev lo; ip route show table local; ls /etc/postgresql/${PG_VERSION} /var/lib/postgresql/${PG_VERSION}; ls -a /var/lib/postgresql; ls /etc/systemd/system; ls /etc/ha-install 2>&1 || true`);
}

/** `ha-install demo` under systemd: both clusters start through their units and stream; the agents and HAProxy run as units of ha-install's; the printed client line works. */
export const demo: SystemdCase = {
  title: 'demo builds a healthy pair, each cluster run by its postgresql@ unit, the agents and HAProxy by units of ha-install\'s',
  async run(t) {
    t.memo.set('before-demo', await machineState(t.box));
    const r = await t.cli(['demo']);
    exits(r, 0, 'ha-install demo');
    assert.match(r.stdout, /The pair is healthy\./);
    t.note(`demo: ${/Demo ready in [\d.]+ s/.exec(r.stdout)?.[0] ?? 'no timing printed'}`);
    await assertUnitRunsCluster(t.box, 'ha_demo_11');
    await assertUnitRunsCluster(t.box, 'ha_demo_12');
    // Its own HAProxy configuration, so an ha-install unit runs it, not the package's haproxy.service.
    for (const unit of [...demoUnits]) assert.equal(await unitState(t.box, unit), 'active', unit);
    const line = r.stdout.split('\n')[r.stdout.split('\n').findIndex((l) => l.startsWith('A client through the balancer')) + 1]!;
    t.memo.set('demo-client-line', line);
    const client = await t.box.exec(['sh', '-c', line]);
    assert.match(client.stdout, /127\.0\.0\.11\s+\|\s+f/, `the printed line, pasted: ${line}\n${client.stderr}`);
    const standby = await psql(t.box, '/var/run/postgresql/ha_demo_12', 5440, 'SELECT pg_is_in_recovery(), (SELECT status FROM pg_stat_wal_receiver)');
    assert.equal(standby.stdout.trim(), 't|streaming', standby.stderr);
  },
};
