import assert from 'node:assert/strict';
import { exits, type SystemdCase } from '../case.js';
import { master, writeAnswers } from '../pair.js';

/**
 * Why the refusal exists, then the refusal: a cluster whose name has a dash cannot start
 * through systemd (postgresql@.service reads the dash back as a slash), so ha-install on a
 * systemd machine refuses such a name before any change, naming postgresql.cluster.
 */
export const dashedClusterName: SystemdCase = {
  title: 'a cluster name with a dash cannot start under systemd, and ha-install refuses it first',
  async run(t) {
    await t.box.sh('pg_createcluster 15 h11-dash >/dev/null');
    const start = await t.box.exec(['systemctl', 'start', 'postgresql@15-h11-dash']);
    await t.box.sh('pg_dropcluster 15 h11-dash');
    assert.notEqual(start.exitCode, 0, 'systemd started a dashed cluster: the refusal may be obsolete');
    assert.match(start.stderr, /Assertion failed/);

    await writeAnswers(t.box, '/root/dash.yaml', 'master', 'ha-dash', master.socketDir);
    const before = await t.box.sh('ls /etc/postgresql/15 /var/lib/postgresql/15');
    const r = await t.cli(['--answers', '/root/dash.yaml', '--yes', '--state-dir', '/var/lib/h11-dash']);
    exits(r, 2, 'the install with cluster ha-dash');
    assert.match(r.stderr, /postgresql\.cluster/);
    assert.match(r.stderr, /postgresql\.cluster: ha_dash/, 'the fix names a name that works');
    assert.match(r.stderr, /nothing was changed/i);
    assert.equal(await t.box.sh('ls /etc/postgresql/15 /var/lib/postgresql/15'), before);
    assert.equal((await t.box.exec(['test', '-e', '/var/lib/h11-dash/journal.json'])).exitCode, 1, 'no journal: no change began');
  },
};
