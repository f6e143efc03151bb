import assert from 'node:assert/strict';
import { assertUnitRunsCluster, eventually, exits, psql, unitState, type SystemdCase } from '../case.js';
import { master, PASSWORD_FILE, PORT, slave } from '../pair.js';

const count = async (t: Parameters<SystemdCase['run']>[0], node: typeof master, where: string) =>
  (await psql(t.box, node.socketDir, PORT, `SELECT count(*) FROM h_failover WHERE ${where}`)).stdout.trim();

/**
 * The recovery story under systemd: the master dies (kill -9) with commits the slave never got,
 * the slave is promoted, and `systemctl start postgresql@15-main` brings the old master up
 * read-only (its start guard runs from pg_ctl.conf, which the unit's pg_ctlcluster honours);
 * restore-master rewinds it and it streams, the unit tracking the new postmaster.
 */
export const failover: SystemdCase = {
  title: 'the master dies, promote; systemctl start of the old master takes no write; restore-master rejoins it',
  async run(t) {
    exits(await psql(t.box, master.socketDir, PORT, "CREATE TABLE h_failover (written_on text); INSERT INTO h_failover VALUES ('both')"), 0, 'the first row');
    assert.ok(await eventually(async () => (await count(t, slave, 'true')) === '1'), 'the slave has the first row');
    await t.box.sh(`systemctl stop postgresql@15-${slave.cluster}`);
    exits(await psql(t.box, master.socketDir, PORT, "INSERT INTO h_failover SELECT 'only-master' FROM generate_series(1, 100)"), 0, 'rows only the master gets');
    await t.box.sh(`kill -9 $(head -1 /var/lib/postgresql/15/${master.cluster}/postmaster.pid)`);
    await t.box.sh(`systemctl start postgresql@15-${slave.cluster}`);
    exits(await t.cli(['promote', '--yes', '--state-dir', slave.stateDir]), 0, 'promote on the slave');
    exits(await psql(t.box, slave.socketDir, PORT, "INSERT INTO h_failover VALUES ('new-primary')"), 0, 'a write on the new primary');

    const started = Date.now();
    await t.box.sh(`systemctl reset-failed postgresql@15-${master.cluster}.service 2>/dev/null; systemctl start postgresql@15-${master.cluster}`);
    t.note(`systemctl start of the old master, guard included: ${Date.now() - started} ms`);
    await assertUnitRunsCluster(t.box, master.cluster);
    const write = await psql(t.box, master.socketDir, PORT, "SET default_transaction_read_only = off; INSERT INTO h_failover VALUES ('split')");
    assert.notEqual(write.exitCode, 0, 'a write succeeded on the old master');
    assert.match(write.stderr, /read-only transaction/);
    const log = await t.box.sh(`cat /var/log/postgresql/postgresql-15-${master.cluster}.log`);
    assert.match(log, /ha-install guard \(15\/main\): FENCED, starting as a read-only standby: the peer 127\.0\.0\.12:5432 is the primary now/);
    exits(await t.cli(['status']), 1, 'status on the fenced old master');

    await t.box.sh(`umask 077; cat > /root/secrets.yaml`, `postgresql:\n  backup-password: file:${PASSWORD_FILE}\n`);
    const restored = await t.cli(['restore-master', '--master-ip', slave.address, '--answers', '/root/secrets.yaml', '--yes']);
    exits(restored, 0, 'restore-master on the old master');
    assert.match(restored.stderr, /\[\d+\/\d+\] Rewind this node onto .* \.\.\. done/);
    assert.equal(await unitState(t.box, `postgresql@15-${master.cluster}`), 'active');
    await assertUnitRunsCluster(t.box, master.cluster);
    exits(await psql(t.box, slave.socketDir, PORT, "INSERT INTO h_failover VALUES ('after-restore')"), 0, 'a write after the restore');
    assert.ok(await eventually(async () => (await count(t, master, "written_on = 'after-restore'")) === '1'), 'it streams to the restored node');
    assert.equal(await count(t, master, "written_on = 'only-master'"), '0', 'the commits only the dead master had are gone');
    exits(await t.cli(['status']), 0, 'status on the restored node');
    exits(await t.cli(['status', '--state-dir', slave.stateDir]), 0, 'status on the new primary');
  },
};
