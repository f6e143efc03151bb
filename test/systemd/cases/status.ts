import assert from 'node:assert/strict';
import { exits, type SystemdCase } from '../case.js';
import { slave } from '../pair.js';

interface StatusJson {
  healthy: boolean;
  nodes: Array<{ status: { role: string; healthy: boolean; replication?: string } }>;
}

/** `ha-install status` on both nodes: exit 0, primary and standby, streaming. */
export const status: SystemdCase = {
  title: 'status on both nodes: healthy, primary and standby streaming',
  async run(t) {
    const text = await t.cli(['status']);
    exits(text, 0, 'status on the master');
    for (const [args, role] of [[[], 'primary'], [['--state-dir', slave.stateDir], 'standby']] as const) {
      const r = await t.cli(['status', '--json', ...args]);
      exits(r, 0, `status --json ${args.join(' ')}`);
      const report = JSON.parse(r.stdout) as StatusJson;
      assert.equal(report.healthy, true, r.stdout);
      assert.equal(report.nodes[0]?.status.role, role, r.stdout);
      assert.equal(report.nodes[0]?.status.replication, 'streaming', r.stdout);
    }
  },
};
