import { randomBytes } from 'node:crypto';
import type { Container } from '../../scripts/systemd/container.js';

/**
 * The pair of the systemd cases, in one container: the master is Debian's own cluster `main`
 * on 127.0.0.11:5432, as on a fresh server; the slave is the cluster `standby` on
 * 127.0.0.12:5432 with its own socket directory and state folder (two clusters on one
 * machine need distinct names, and a dash is what systemd cannot carry). One container
 * rather than two: one boot, and every test packet on one loopback; two would have to share
 * a network namespace, where both fresh `main` clusters want 127.0.0.1:5432 at first boot.
 */

export const master = { cluster: 'main', address: '127.0.0.11', socketDir: '/var/run/postgresql', stateDir: '/var/lib/ha-install' };
export const slave = { cluster: 'standby', address: '127.0.0.12', socketDir: '/var/run/postgresql/standby', stateDir: '/var/lib/ha-install-standby' };
export const PORT = 5432;
/** The third server of the bed: HAProxy on 127.0.0.10, run by Debian's haproxy.service. */
export const balancer = { address: '127.0.0.10', port: 15432, stateDir: '/var/lib/ha-install-balancer' };
export const AGENT_PORT = 25432;
export const PASSWORD_FILE = '/root/backup-password';

/**
 * The machine's own network configuration, as a real server has it before ha-install: the
 * three addresses on lo from early boot (before PostgreSQL), and each node reached from the
 * other, as installers/postgresql/loopback.ts does for the demo (HAProxy leaves from
 * 127.0.0.10 by its `source`, so the balancer needs no route).
 */
const ADDRESSES_UNIT = `[Unit]
Description=Test bed: the pair's addresses on lo
DefaultDependencies=no
Before=network-pre.target postgresql.service
Wants=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/sbin/ip addr replace 127.0.0.10/32 dev lo
ExecStart=/sbin/ip addr replace 127.0.0.11/32 dev lo
ExecStart=/sbin/ip addr replace 127.0.0.12/32 dev lo
ExecStart=/sbin/ip route replace local 127.0.0.11 dev lo table local proto kernel scope host src 127.0.0.12
ExecStart=/sbin/ip route replace local 127.0.0.12 dev lo table local proto kernel scope host src 127.0.0.11

[Install]
WantedBy=multi-user.target
`;

export async function configureAddresses(box: Container): Promise<void> {
  await box.sh('cat > /etc/systemd/system/ha-test-addresses.service && systemctl daemon-reload && systemctl enable --now --quiet ha-test-addresses.service', ADDRESSES_UNIT);
}

/** The answers file for one role (and the shared password file, made once). */
export async function writeAnswers(box: Container, path: string, role: 'master' | 'slave', cluster: string, socketDir: string): Promise<void> {
  await box.sh(`[ -e ${PASSWORD_FILE} ] || (umask 077; cat > ${PASSWORD_FILE})`, randomBytes(18).toString('base64url') + '\n');
  const yaml = [
    `mode: ${role}`,
    `master-ip: ${master.address}`,
    `slave-ip: ${slave.address}`,
    `balancer-ip: ${balancer.address}`,
    'requirements: {min-ram-gb: 1, min-cores: 1, min-disk-gb: 1}',
    'packages: {skip: true}',
    'postgresql:',
    `  cluster: ${cluster}`,
    `  port: ${PORT}`,
    ...(socketDir === master.socketDir ? [] : [`  socket-dir: ${socketDir}`]),
    `  backup-password: file:${PASSWORD_FILE}`,
    '  master-wait-seconds: 30',
    // The bed's recovery cases promote by hand (cases/failover.ts); the demo's case runs the monitors.
    'failover: {automatic: false}',
  ].join('\n');
  await box.sh(`umask 077; cat > ${path}`, yaml + '\n');
}
