import { dirname, join } from 'node:path';
import type { Answers } from '../../src/answers/types.js';
import { readRegularFile } from '../../src/system/safe-read.js';
import { renderTemplate, shippedTemplate, templateProblems, type TemplateValues } from '../../src/system/template.js';
import { InputError } from '../../src/system/errors.js';

/**
 * The HAProxy configuration from a template: templates/haproxy/haproxy.cfg, or the admin's own
 * (haproxy.template). The values are the answers; a custom template may use only the names
 * the shipped one lists, so a typo is refused with its line, before anything changes.
 */

export const SHIPPED_TEMPLATE = 'haproxy/haproxy.cfg';
export const STATS_USER = 'admin';
export const TEMPLATE_NAMES = [
  'template', 'balancer_ip', 'pg_port', 'master_ip', 'slave_ip', 'db_port', 'agent_port', 'check_timeout_ms', 'stats_port', 'stats_user', 'stats_password_hash', 'stats_socket', 'state_file', 'app_port',
] as const;

export type BalancerAnswers = Pick<Answers, 'balancerIp' | 'masterIp' | 'slaveIp' | 'pgPort' | 'agentPort' | 'agentTimeoutMs' | 'balancerPort' | 'statsPort' | 'appPort' | 'haproxyConfig' | 'haproxyTemplate' | 'failoverAutomatic' | 'witnessPort'>;

/** Where the stats password is kept (root only): next to the configuration it belongs to. */
export const statsPasswordPath = (config: string) => join(dirname(config), 'ha-install-stats.password');

/** An address as HAProxy's `bind` and `server` lines take it: IPv6 in brackets before the port. */
const addr = (address: string) => (address.includes(':') ? `[${address}]` : address);

/** The template's text and where it came from; a custom one that cannot be read or used is an InputError naming the key. */
export function loadTemplate(answers: Pick<BalancerAnswers, 'haproxyTemplate'>): { text: string; source: string } {
  if (answers.haproxyTemplate === undefined) return { text: shippedTemplate(SHIPPED_TEMPLATE), source: `templates/${SHIPPED_TEMPLATE}` };
  const read = readRegularFile(answers.haproxyTemplate, 256 * 1024);
  const fix = `fix the template, or remove haproxy.template to use the shipped one (templates/${SHIPPED_TEMPLATE})`;
  if (!read.ok) throw new InputError(`The HAProxy template ${answers.haproxyTemplate} cannot be used: nothing was changed.`, [{ field: 'haproxy.template', message: `${answers.haproxyTemplate} ${read.detail}`, fix }]);
  const problems = templateProblems(read.text, TEMPLATE_NAMES);
  if (problems.length > 0) {
    throw new InputError(`The HAProxy template ${answers.haproxyTemplate} cannot be used: nothing was changed.`, problems.map((message) => ({ field: 'haproxy.template', message, fix })));
  }
  return { text: read.text, source: answers.haproxyTemplate };
}

export interface RenderExtras {
  statsHash: string;
  statsSocket: string;
  stateFile: string;
}

export function templateValues(a: BalancerAnswers, extra: RenderExtras & { source: string }): TemplateValues {
  return {
    template: extra.source,
    balancer_ip: addr(a.balancerIp!),
    pg_port: a.balancerPort,
    master_ip: addr(a.masterIp),
    slave_ip: addr(a.slaveIp),
    db_port: a.pgPort,
    agent_port: a.agentPort,
    check_timeout_ms: a.agentTimeoutMs + 1000,
    stats_port: a.statsPort,
    stats_user: STATS_USER,
    stats_password_hash: extra.statsHash,
    stats_socket: extra.statsSocket,
    state_file: extra.stateFile,
    app_port: a.appPort,
  };
}

export function renderConfig(a: BalancerAnswers, extra: RenderExtras): string {
  const template = loadTemplate(a);
  return renderTemplate(template.text, templateValues(a, { ...extra, source: template.source }), template.source);
}
