import type { SystemdCase } from '../case.js';
import { boot } from './boot.js';
import { dashedClusterName } from './cluster-name.js';
import { demo } from './demo.js';
import { demoDown } from './demo-down.js';
import { demoFailover } from './demo-failover.js';
import { failover } from './failover.js';
import { masterInstall } from './master.js';
import { reboot } from './reboot.js';
import { slaveInstall } from './slave.js';
import { startFailure } from './start-failure.js';
import { status } from './status.js';
import { agentUnits } from './agent.js';
import { balancerInstall } from './balancer.js';
import { servicesAfterReboot } from './services-reboot.js';

/**
 * The systemd cases, in the order they run in one container. The demo comes and goes on a
 * clean loopback first (its master killed: the slave's monitor fails it over); then the pair is built, its agents and the balancer checked, and the
 * whole rebooted. New services (the monitor) add their files here, after `reboot` or before
 * it when a boot should start them. `failover` comes last: it leaves the roles swapped.
 */
export const cases: SystemdCase[] = [boot, demo, demoFailover, demoDown, masterInstall, dashedClusterName, slaveInstall, status, agentUnits, balancerInstall, reboot, servicesAfterReboot, startFailure, failover];
