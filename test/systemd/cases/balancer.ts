import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { scramVerifier } from '../../../installers/postgresql/scram.js';
import { eventually, exits, psql, type SystemdCase } from '../case.js';
import { balancer, master, PORT } from '../pair.js';
import { assertUnit } from '../services.js';

const CLIENT = 'bed_client';
const PGPASS = '/root/.pgpass-bed';

/** psql as a client through the balancer, with its password file (root's, mode 0600). */
export const throughBalancer = (t: Parameters<SystemdCase['run']>[0], sql: string) =>
  t.box.exec(['sh', '-c', `PGPASSFILE=${PGPASS} psql -X -At "host=${balancer.address} port=${balancer.port} dbname=postgres user=${CLIENT}" -c "${sql}"`]);

/**
 * Install mode 4 under systemd, on Debian's own haproxy.service and /etc/haproxy/haproxy.cfg:
 * the configuration replaces the package's (checked first, the old one backed up), the unit is
 * enabled and reloaded, a client reaches the master through 127.0.0.10, `status` reads the
 * stats socket, and a re-run changes nothing.
 */
export const balancerInstall: SystemdCase = {
  title: 'balancer install on haproxy.service: clients reach the master through 127.0.0.10, status reads the stats socket, a re-run changes nothing',
  async run(t) {
    const yaml = ['mode: load-balancer', 'master-ip: 127.0.0.11', 'slave-ip: 127.0.0.12', `balancer-ip: ${balancer.address}`, 'requirements: {min-ram-gb: 1, min-cores: 1, min-disk-gb: 1}', 'packages: {skip: true}', `postgresql: {port: ${PORT}}`, 'failover: {automatic: false}'].join('\n');
    await t.box.sh('umask 077; cat > /root/balancer.yaml', yaml + '\n');
    const args = ['--answers', '/root/balancer.yaml', '--yes', '--state-dir', balancer.stateDir];
    const r = await t.cli(args);
    exits(r, 0, 'the balancer install');
    assert.match(r.stderr, /Enable and start haproxy\.service.* \.\.\. done \(reloaded\)|\.\.\. done \(started\)|\.\.\. done \(enabled, reloaded\)/, r.stderr.slice(-2000));
    await assertUnit(t.box, 'haproxy.service', { ActiveState: 'active', UnitFileState: 'enabled' });
    assert.match(await t.box.sh('ls /var/lib/ha-install-balancer/backups/*/etc/haproxy/'), /haproxy\.cfg/, 'the package\'s configuration was backed up');
    const password = randomBytes(12).toString('base64url');
    exits(await psql(t.box, master.socketDir, PORT, `CREATE ROLE ${CLIENT} LOGIN PASSWORD '${scramVerifier(password)}'`), 0, 'the client role');
    await t.box.sh(`umask 077; printf '%s\\n' '${balancer.address}:${balancer.port}:*:${CLIENT}:${password}' > ${PGPASS}`);
    assert.ok(await eventually(async () => (await throughBalancer(t, 'SELECT inet_server_addr()')).stdout.trim() === master.address, 15_000), 'a client reaches the master through the balancer');
    const status = await t.cli(['status', '--json', '--state-dir', balancer.stateDir]);
    exits(status, 0, 'status on the balancer');
    const [lb] = (JSON.parse(status.stdout) as { nodes: Array<{ servers: Array<{ name: string; status: string }>; services: Array<{ name: string; state: string }> }> }).nodes;
    assert.deepEqual(lb!.servers.map((s) => [s.name, s.status]), [['master', 'UP'], ['slave', 'DOWN']]);
    assert.deepEqual(lb!.services.map((s) => [s.name, s.state]), [['haproxy.service', 'running']]);
    const again = await t.cli(args);
    exits(again, 0, 'the balancer install again');
    assert.match(again.stderr, /Write the HAProxy configuration \/etc\/haproxy\/haproxy\.cfg \.\.\. done \(unchanged\)/);
    assert.match(again.stderr, /haproxy\.service.* \.\.\. done \(already running\)/);
  },
};
