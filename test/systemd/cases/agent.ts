import assert from 'node:assert/strict';
import { eventually, type SystemdCase } from '../case.js';
import { AGENT_PORT, master, slave } from '../pair.js';
import { assertUnit, httpStatus, unitShow } from '../services.js';

const units = { master: 'ha-install-agent-15-main.service', slave: 'ha-install-agent-15-standby.service' };

/** The agents under systemd: a unit each, enabled, answering; kill -9 and systemd's Restart= brings it back. */
export const agentUnits: SystemdCase = {
  title: 'the health agents run as enabled units; kill -9 of one and systemd restarts it',
  async run(t) {
    for (const unit of Object.values(units)) await assertUnit(t.box, unit, { ActiveState: 'active', UnitFileState: 'enabled' });
    assert.equal(await httpStatus(t.box, master.address, AGENT_PORT, '/primary'), 200, 'the master is the primary');
    assert.equal(await httpStatus(t.box, slave.address, AGENT_PORT, '/primary'), 503, 'the slave is not');
    assert.equal(await httpStatus(t.box, slave.address, AGENT_PORT, '/replica'), 200, 'the slave is a streaming replica');
    const before = await unitShow(t.box, units.slave);
    await t.box.sh(`kill -9 ${before.MainPID}`);
    const back = await eventually(async () => {
      const now = await unitShow(t.box, units.slave);
      return now.ActiveState === 'active' && now.MainPID !== before.MainPID && (await httpStatus(t.box, slave.address, AGENT_PORT, '/replica')) === 200;
    }, 20_000);
    assert.ok(back, 'systemd started the agent again and it answers');
    assert.equal((await unitShow(t.box, units.slave)).NRestarts, String(Number(before.NRestarts) + 1));
    const list = await t.cli(['service', 'list']);
    assert.match(list.stdout, /ha-install-agent-15-standby\s+systemd\s+running, pid \d+, since .*, 1 restart/, list.stdout);
  },
};
