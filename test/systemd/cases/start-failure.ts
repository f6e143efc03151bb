import assert from 'node:assert/strict';
import { exits, failedUnits, unitState, type SystemdCase } from '../case.js';
import { writeAnswers } from '../pair.js';

const CLUSTER = 'h11_broken';

/**
 * A start that fails through systemd is reported with the server's own words (systemctl
 * alone says only "Job ... failed"), and systemd agrees that the unit failed.
 */
export const startFailure: SystemdCase = {
  title: 'a start that fails through the unit is reported with the server log',
  async run(t) {
    await t.box.sh(`pg_createcluster 15 ${CLUSTER} --port 5433 >/dev/null && echo "shared_buffers = 'plenty'" >> /etc/postgresql/15/${CLUSTER}/postgresql.conf`);
    try {
      await writeAnswers(t.box, '/root/broken.yaml', 'master', CLUSTER, '/var/run/postgresql');
      await t.box.sh("sed -i 's/port: 5432/port: 5433/' /root/broken.yaml");
      const r = await t.cli(['--answers', '/root/broken.yaml', '--yes', '--state-dir', '/var/lib/h11-broken']);
      exits(r, 1, 'an install whose start fails');
      assert.match(r.stderr, new RegExp(`systemctl start postgresql@15-${CLUSTER}`));
      assert.match(r.stderr, /The server log \(\/var\/log\/postgresql\/postgresql-15-h11_broken\.log\) says:/);
      assert.match(r.stderr, /invalid value for parameter "shared_buffers": "plenty"/);
      assert.equal(await unitState(t.box, `postgresql@15-${CLUSTER}`), 'failed');
    } finally {
      await t.box.sh(`pg_dropcluster 15 ${CLUSTER}; systemctl reset-failed postgresql@15-${CLUSTER}.service || true; rm -rf /var/lib/h11-broken`);
    }
    assert.equal(await failedUnits(t.box), '', 'nothing else failed');
  },
};
