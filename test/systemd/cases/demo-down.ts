import assert from 'node:assert/strict';
import { exits, failedUnits, unitState, type SystemdCase } from '../case.js';
import { demoUnits, machineState } from './demo.js';

/** `demo --down` under systemd: the units stop (not failed), and the machine is as before the demo. */
export const demoDown: SystemdCase = {
  title: 'demo --down stops the clusters\' units, removes the services\' and leaves the machine as it was',
  async run(t) {
    const r = await t.cli(['demo', '--down']);
    exits(r, 0, 'ha-install demo --down');
    for (const cluster of ['ha_demo_11', 'ha_demo_12']) assert.equal(await unitState(t.box, `postgresql@15-${cluster}`), 'inactive', cluster);
    for (const unit of demoUnits) assert.equal((await t.box.exec(['systemctl', 'show', '-p', 'LoadState', '--value', unit])).stdout.trim(), 'not-found', `${unit} is gone`);
    assert.equal(await failedUnits(t.box), '', 'no unit failed');
    assert.equal(await machineState(t.box), t.memo.get('before-demo'));
  },
};
