import assert from 'node:assert/strict';
import { eventually, type SystemdCase } from '../case.js';
import { AGENT_PORT, master, slave } from '../pair.js';
import { assertUnit, httpStatus } from '../services.js';
import { throughBalancer } from './balancer.js';

/** After the reboot case: the agents and HAProxy came up by themselves, and clients get through. */
export const servicesAfterReboot: SystemdCase = {
  title: 'after the reboot the agents and HAProxy are back by themselves, and a client gets through to the master',
  async run(t) {
    for (const unit of ['ha-install-agent-15-main.service', 'ha-install-agent-15-standby.service', 'haproxy.service']) await assertUnit(t.box, unit, { ActiveState: 'active' });
    assert.ok(await eventually(async () => (await httpStatus(t.box, master.address, AGENT_PORT, '/primary')) === 200, 20_000), 'the master\'s agent answers 200');
    assert.equal(await httpStatus(t.box, slave.address, AGENT_PORT, '/primary'), 503);
    assert.ok(await eventually(async () => (await throughBalancer(t, 'SELECT inet_server_addr()')).stdout.trim() === master.address, 20_000), 'through the balancer to the master');
  },
};
