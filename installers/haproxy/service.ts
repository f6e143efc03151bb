import { basename, join } from 'node:path';
import type { OwnServiceRef, ServiceRef } from '../../src/engine/actions.js';
import { ownServiceRef } from '../services/plan.js';
import { runDir, type ServiceSpec } from '../services/spec.js';
import type { BalancerAnswers } from './render.js';

/**
 * Who runs HAProxy. Where PID 1 is systemd and the configuration is Debian's own
 * (/etc/haproxy/haproxy.cfg), Debian's haproxy.service does, as admins expect; its reload
 * checks the file and sends SIGUSR2. Otherwise (no systemd, or a configuration of its own, as
 * the demo's) an ha-install service runs `haproxy -W -db`: master-worker mode in the
 * foreground, reloaded by SIGUSR2 to its master, which starts new workers on the new
 * configuration while the old ones finish the sessions they have. Established connections
 * survive a reload either way.
 */

export const DEFAULT_CONFIG = '/etc/haproxy/haproxy.cfg';
export const HAPROXY = '/usr/sbin/haproxy';

export interface BalancerService {
  ref: Exclude<ServiceRef, { kind: 'postgresql' }>;
  /** The stats socket `status` reads: in a runtime folder that exists when HAProxy starts. */
  statsSocket: string;
  /** The servers' states saved before a reload (server-state-file). */
  stateFile: string;
  /** Only for an ha-install service: what the plan registers. */
  spec?: ServiceSpec;
}

/** `ha-install-haproxy` for Debian's file, `ha-install-haproxy-<file name>` for another. */
export function haproxyServiceName(config: string): string {
  if (config === DEFAULT_CONFIG) return 'ha-install-haproxy';
  const stem = basename(config).replace(/\.cfg$/, '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').slice(0, 40);
  return `ha-install-haproxy-${stem || 'config'}`;
}

export function balancerService(answers: BalancerAnswers, init: 'systemd' | 'none', logDir: string): BalancerService {
  const ready = { host: answers.balancerIp!, port: answers.balancerPort };
  if (init === 'systemd' && answers.haproxyConfig === DEFAULT_CONFIG) {
    // /run/haproxy is the unit's RuntimeDirectory: there before HAProxy binds its socket.
    return { ref: { kind: 'systemd-unit', unit: 'haproxy.service', ready }, statsSocket: '/run/haproxy/ha-install-stats.sock', stateFile: '/run/haproxy/ha-install-servers.state' };
  }
  const name = haproxyServiceName(answers.haproxyConfig);
  const spec: ServiceSpec = {
    name,
    description: `HAProxy in front of the PostgreSQL pair (${answers.haproxyConfig}), for ha-install`,
    argv: [HAPROXY, '-W', '-db', '-f', answers.haproxyConfig],
    // HAProxy starts as root to bind and chroot, then becomes the user of its configuration (haproxy).
    user: 'root',
    log: join(logDir, `${name}.log`),
    ready,
    reloadSignal: 'SIGUSR2',
    runFiles: [join(runDir, `${name}.sock`), join(runDir, `${name}.servers`)],
  };
  return { ref: ownServiceRef(spec, init) as OwnServiceRef, statsSocket: spec.runFiles![0]!, stateFile: spec.runFiles![1]!, spec };
}
