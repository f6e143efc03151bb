import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { assertUnitRunsCluster, eventually, exits, failedUnits, psql, type SystemdCase } from '../case.js';
import { master, PORT, slave } from '../pair.js';

/** Power off, boot: both clusters come back through their units and the standby streams by itself. */
export const reboot: SystemdCase = {
  title: 'after a reboot the pair comes back streaming by itself',
  async run(t) {
    await t.reboot();
    const streams = async () => (await psql(t.box, slave.socketDir, PORT, 'SELECT status FROM pg_stat_wal_receiver')).stdout.trim() === 'streaming';
    assert.ok(await eventually(streams, 60_000), 'the standby streams again within 60 s');
    await assertUnitRunsCluster(t.box, master.cluster);
    await assertUnitRunsCluster(t.box, slave.cluster);
    const token = randomUUID();
    const write = await psql(t.box, master.socketDir, PORT, `CREATE TABLE IF NOT EXISTS h_reboot (token text); INSERT INTO h_reboot VALUES ('${token}')`);
    exits(write, 0, 'a write on the master');
    const arrived = async () => (await psql(t.box, slave.socketDir, PORT, `SELECT count(*) FROM h_reboot WHERE token = '${token}'`)).stdout.trim() === '1';
    assert.ok(await eventually(arrived, 20_000), 'a row written after the reboot arrives on the standby');
    exits(await t.cli(['status']), 0, 'status on the master after the reboot');
    exits(await t.cli(['status', '--state-dir', slave.stateDir]), 0, 'status on the slave after the reboot');
    assert.equal(await failedUnits(t.box), '', 'no unit failed');
  },
};
