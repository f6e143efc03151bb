import assert from 'node:assert/strict';
import { assertUnitRunsCluster, exits, psql, type SystemdCase } from '../case.js';
import { PORT, slave, writeAnswers } from '../pair.js';

/** The slave install: a new cluster `standby`, cloned, started as a hot standby through its unit. */
export const slaveInstall: SystemdCase = {
  title: 'slave install on cluster standby: started through its unit, streaming',
  async run(t) {
    await writeAnswers(t.box, '/root/slave.yaml', 'slave', slave.cluster, slave.socketDir);
    const r = await t.cli(['--answers', '/root/slave.yaml', '--yes', '--state-dir', slave.stateDir]);
    exits(r, 0, 'the slave install');
    await assertUnitRunsCluster(t.box, slave.cluster);
    const live = await psql(t.box, slave.socketDir, PORT, 'SELECT pg_is_in_recovery(), (SELECT status FROM pg_stat_wal_receiver)');
    assert.equal(live.stdout.trim(), 't|streaming', live.stderr);
  },
};
