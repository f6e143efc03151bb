import assert from 'node:assert/strict';
import { assertUnitRunsCluster, exits, psql, type SystemdCase } from '../case.js';
import { configureAddresses, master, PORT, writeAnswers } from '../pair.js';

/** The master install on Debian's running `main`: the restart for listen_addresses goes through its unit. */
export const masterInstall: SystemdCase = {
  title: 'master install on cluster main: restarted by systemd, the unit tracks the new postmaster',
  async run(t) {
    await configureAddresses(t.box);
    await writeAnswers(t.box, '/root/master.yaml', 'master', master.cluster, master.socketDir);
    const before = await t.box.sh('head -1 /var/lib/postgresql/15/main/postmaster.pid');
    const r = await t.cli(['--answers', '/root/master.yaml', '--yes']);
    exits(r, 0, 'the master install');
    assert.match(r.stdout + r.stderr, /Init system\s+systemd/, 'the requirement check saw systemd');
    await assertUnitRunsCluster(t.box, master.cluster);
    assert.notEqual(await t.box.sh('head -1 /var/lib/postgresql/15/main/postmaster.pid'), before, 'restarted for listen_addresses');
    const live = await psql(t.box, master.socketDir, PORT, "SELECT current_setting('listen_addresses'), pg_is_in_recovery()");
    assert.equal(live.stdout.trim(), '127.0.0.11|f', live.stderr);
  },
};
