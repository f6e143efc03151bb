import assert from 'node:assert/strict';
import { eventually, psql, unitState, type SystemdCase } from '../case.js';

/**
 * Automatic failover under systemd, on the demo: kill -9 of the master's postmaster, and the
 * slave's monitor (a unit of ha-install's) promotes it by itself; the same client line through
 * HAProxy then writes on the slave; the master's unit is failed (systemd saw its postmaster
 * die), nothing restarted it as a second primary. `demo --down` (next case) removes it all.
 */
export const demoFailover: SystemdCase = {
  title: 'demo: kill -9 of the master; the slave\'s monitor unit promotes it, and the client line through HAProxy writes there',
  async run(t) {
    assert.equal(await unitState(t.box, 'ha-install-monitor-15-ha-demo-12.service'), 'active', 'the slave\'s monitor runs as a unit');
    const started = Date.now();
    await t.box.sh('kill -9 $(head -1 /var/lib/postgresql/15/ha_demo_11/postmaster.pid)');
    const promoted = await eventually(async () => (await psql(t.box, '/var/run/postgresql/ha_demo_12', 5440, 'SELECT pg_is_in_recovery()')).stdout.trim() === 'f', 30_000);
    assert.ok(promoted, 'the slave promoted itself');
    t.note(`kill -9 of the master to the slave writable, under systemd: ${Date.now() - started} ms`);
    const line = t.memo.get('demo-client-line')!;
    assert.ok(await eventually(async () => /127\.0\.0\.12\s+\|\s+f/.test((await t.box.exec(['sh', '-c', line])).stdout), 15_000), `a client through HAProxy reaches the new primary: ${line}`);
    const status = await t.cli(['demo', 'run', '127.0.0.12', 'status']);
    assert.match(status.stdout, /AUTOMATIC FAILOVER: 127\.0\.0\.11 not seen/, status.stdout);
    assert.match(status.stdout, /event +\S+ Failover 127\.0\.0\.12 127\.0\.0\.11/, status.stdout);
  },
};
