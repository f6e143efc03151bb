import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Action, FileAction, ServiceAction } from '../../src/engine/actions.js';
import type { Logger } from '../../src/system/log.js';
import { runtimeFor, type Runtime } from '../../src/system/runtime.js';
import { firewallPlan, selinuxPlan, type SecurityFacts } from '../firewall/firewall.js';
import { serviceActions } from '../services/plan.js';
import { newSha512Crypt, sha512CryptMatches } from './crypt.js';
import { renderConfig, statsPasswordPath, STATS_USER, type BalancerAnswers } from './render.js';
import { balancerService, HAPROXY, type BalancerService } from './service.js';
import { saveStatesStep, verifyChecksStep } from './settle.js';

/**
 * Install mode 4's plan: the stats password (made once, kept root-only, its hash in the
 * configuration), the configuration rendered from the template and checked by `haproxy -c`
 * before it replaces the live one, HAProxy started or reloaded (a reload keeps established
 * connections), the firewall and SELinux. A re-run with nothing changed changes nothing.
 */

export interface BalancerPlan {
  actions: Action[];
  notes: string[];
  service: BalancerService;
  /** Set when this plan makes the stats password: shown once, after the apply. */
  newStatsPassword?: string;
}

/** The stats password: the one kept next to the configuration, else a new one. */
function statsPassword(config: string): { password: string; created: boolean } {
  const path = statsPasswordPath(config);
  if (existsSync(path)) return { password: readFileSync(path, 'utf8').trim(), created: false };
  return { password: randomBytes(18).toString('base64url'), created: true };
}

/** The hash already in the live configuration when it is this password's: a re-run then writes the same file. */
function statsHash(config: string, password: string): string {
  const live = existsSync(config) ? readFileSync(config, 'utf8') : '';
  const current = new RegExp(`^\\s*user ${STATS_USER} password (\\S+)`, 'm').exec(live)?.[1];
  return current && sha512CryptMatches(password, current) ? current : newSha512Crypt(password);
}

export function balancerPlan(answers: BalancerAnswers, options: { init: 'systemd' | 'none'; logDir: string; security: SecurityFacts; log: Logger; runtime?: Runtime }): BalancerPlan {
  const service = balancerService(answers, options.init, options.logDir);
  const { password, created } = statsPassword(answers.haproxyConfig);
  options.log.redact(password);
  const actions: Action[] = [];
  if (created) {
    actions.push({
      kind: 'file',
      id: 'haproxy.stats-password',
      title: `Keep the new stats page password in ${statsPasswordPath(answers.haproxyConfig)} (root only)`,
      path: statsPasswordPath(answers.haproxyConfig),
      content: `${password}\n`,
      mode: 0o600,
      secret: true,
    });
  }
  const config: FileAction = {
    kind: 'file',
    id: 'haproxy.config',
    title: `Write the HAProxy configuration ${answers.haproxyConfig}`,
    path: answers.haproxyConfig,
    content: renderConfig(answers, { statsHash: statsHash(answers.haproxyConfig, password), statsSocket: service.statsSocket, stateFile: service.stateFile }),
    mode: 0o644,
    validate: [HAPROXY, '-c', '-f', '{file}'],
  };
  actions.push(config, saveStatesStep(service.statsSocket, service.stateFile));
  if (service.spec) {
    actions.push(...serviceActions(service.spec, { init: options.init, runtime: options.runtime ?? runtimeFor(), restartOn: [config.id], then: 'reload' }));
  } else {
    const start: ServiceAction = {
      kind: 'service',
      id: 'haproxy.start',
      title: `Enable and start ${service.ref.kind === 'systemd-unit' ? service.ref.unit : 'HAProxy'}; reload it when its configuration changed`,
      service: service.ref,
      op: 'start',
      command: ['systemctl', 'enable', '--now', 'haproxy.service'],
      ifChanged: [{ ids: [config.id], then: 'reload' }],
    };
    actions.push(start);
  }
  actions.push(verifyChecksStep(service.statsSocket));
  const openings = [
    { port: answers.balancerPort, what: 'PostgreSQL through HAProxy' },
    { port: answers.statsPort, what: 'HAProxy stats' },
    ...(answers.appPort !== undefined ? [{ port: answers.appPort, what: 'the application' }] : []),
    ...(answers.failoverAutomatic ? [{ port: answers.witnessPort, from: [answers.masterIp, answers.slaveIp], what: 'the failover witness' }] : []),
  ];
  const firewall = firewallPlan(options.security, openings);
  const selinux = selinuxPlan(options.security);
  return { actions: [...selinux.actions, ...firewall.actions, ...actions], notes: [...firewall.notes, ...selinux.notes], service, newStatsPassword: created ? password : undefined };
}
