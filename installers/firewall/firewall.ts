import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { CommandAction } from '../../src/engine/actions.js';
import { hostNetwork } from '../../src/system/address.js';
import { run } from '../../src/system/exec.js';
import type { Logger } from '../../src/system/log.js';

/**
 * Firewall and SELinux, as the N-Squared document does them by hand: where firewalld or ufw is
 * active, open exactly the role's ports (the balancer's to anyone; a database node's only from
 * its peer and the balancer), and where SELinux enforces, let HAProxy connect to any port
 * (haproxy_connect_any). Detection reads the tools' own state; planning is a pure function of
 * it, so every case is planned and tested whatever this machine has. What is already open is
 * not added again: a re-run plans nothing.
 */

export interface SecurityFacts {
  firewall: 'firewalld' | 'ufw' | 'none';
  /** The rules already there, as the tool lists them (firewalld ports and rich rules, `ufw show added`). */
  present: string[];
  selinux: 'enforcing' | 'permissive' | 'disabled' | 'absent';
  haproxyConnectAny?: boolean;
}

export interface Opening {
  port: number;
  /** Sources allowed; none: anyone. */
  from?: string[];
  what: string;
}

const ufwComment = "comment 'ha-install'";

/** The rule each tool is given, in the words it lists it back. */
export function ruleText(tool: 'firewalld' | 'ufw', port: number, from?: string): string {
  if (tool === 'ufw') return from ? `ufw allow proto tcp from ${from} to any port ${port} ${ufwComment}` : `ufw allow ${port}/tcp ${ufwComment}`;
  if (!from) return `${port}/tcp`;
  return `rule family="${from.includes(':') ? 'ipv6' : 'ipv4'}" source address="${hostNetwork(from)}" port port="${port}" protocol="tcp" accept`;
}

function addArgv(tool: 'firewalld' | 'ufw', port: number, from?: string): string[] {
  if (tool === 'ufw') return from ? ['ufw', 'allow', 'proto', 'tcp', 'from', from, 'to', 'any', 'port', String(port), 'comment', 'ha-install'] : ['ufw', 'allow', `${port}/tcp`, 'comment', 'ha-install'];
  return ['firewall-cmd', '--permanent', from ? `--add-rich-rule=${ruleText('firewalld', port, from)}` : `--add-port=${port}/tcp`];
}

export function firewallPlan(facts: SecurityFacts, openings: Opening[]): { actions: CommandAction[]; notes: string[] } {
  const tool = facts.firewall;
  if (tool === 'none') return { actions: [], notes: ['no active firewalld or ufw here: no firewall rule to add'] };
  const actions: CommandAction[] = [];
  const already: string[] = [];
  for (const opening of openings) {
    for (const from of opening.from ?? [undefined]) {
      const text = ruleText(tool, opening.port, from);
      const label = `${opening.port}/tcp (${opening.what}) ${from ? `from ${from}` : 'from anywhere'}`;
      if (facts.present.some((rule) => rule === text || rule === text.replace(` ${ufwComment}`, ''))) already.push(label);
      else actions.push({ kind: 'command', id: `firewall:${tool}:${opening.port}:${from ?? 'any'}`, title: `Open ${label} in ${tool}`, argv: addArgv(tool, opening.port, from) });
    }
  }
  // firewalld's --permanent rules count from its next reload; ufw's are live at once.
  if (tool === 'firewalld' && actions.length > 0) actions.push({ kind: 'command', id: 'firewall:firewalld:reload', title: 'Reload firewalld so the new rules count now', argv: ['firewall-cmd', '--reload'] });
  return { actions, notes: already.length > 0 ? [`already open in ${tool}: ${already.join('; ')}`] : [] };
}

/** The balancer's SELinux boolean: HAProxy may then connect to the nodes' PostgreSQL and agent ports. */
export function selinuxPlan(facts: SecurityFacts): { actions: CommandAction[]; notes: string[] } {
  if (facts.selinux !== 'enforcing') return { actions: [], notes: [facts.selinux === 'absent' ? 'no SELinux here: nothing to set' : `SELinux is ${facts.selinux}: haproxy_connect_any not needed`] };
  if (facts.haproxyConnectAny) return { actions: [], notes: ['SELinux: haproxy_connect_any is on already'] };
  return { actions: [{ kind: 'command', id: 'selinux:haproxy_connect_any', title: 'Let HAProxy connect to the nodes\' ports under SELinux (haproxy_connect_any, persistent)', argv: ['setsebool', '-P', 'haproxy_connect_any', '1'] }], notes: [] };
}

function onPath(name: string): boolean {
  return (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').some((dir) => {
    try {
      accessSync(join(dir || '.', name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** What this machine has, read from the tools themselves (each call logged). */
export async function detectSecurity(log: Logger): Promise<SecurityFacts> {
  const out = async (argv: string[]) => {
    const result = await run(argv, log, { reject: false, title: argv.join(' ') });
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  };
  let firewall: SecurityFacts['firewall'] = 'none';
  let present: string[] = [];
  if (onPath('firewall-cmd') && (await out(['firewall-cmd', '--state'])) === 'running') {
    firewall = 'firewalld';
    const ports = (await out(['firewall-cmd', '--permanent', '--list-ports'])) ?? '';
    const rich = (await out(['firewall-cmd', '--permanent', '--list-rich-rules'])) ?? '';
    present = [...ports.split(/\s+/), ...rich.split('\n')].filter(Boolean);
  } else if (onPath('ufw') && /^Status: active/m.test((await out(['ufw', 'status'])) ?? '')) {
    firewall = 'ufw';
    present = ((await out(['ufw', 'show', 'added'])) ?? '').split('\n').map((l) => l.trim()).filter((l) => l.startsWith('ufw '));
  }
  const enforce = onPath('getenforce') ? (await out(['getenforce']))?.toLowerCase() : undefined;
  const selinux = enforce === 'enforcing' || enforce === 'permissive' || enforce === 'disabled' ? enforce : 'absent';
  const bool = selinux === 'enforcing' ? await out(['getsebool', 'haproxy_connect_any']) : undefined;
  return { firewall, present, selinux, ...(bool !== undefined ? { haproxyConnectAny: /-->\s*on/.test(bool) } : {}) };
}
