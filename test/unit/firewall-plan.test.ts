import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firewallPlan, ruleText, selinuxPlan, type SecurityFacts } from '../../installers/firewall/firewall.js';
import { balancerPlan } from '../../installers/haproxy/plan.js';
import type { BalancerAnswers } from '../../installers/haproxy/render.js';
import { silentLogger } from '../../src/system/log.js';

/**
 * Firewall and SELinux in every case the N-Squared document covers: firewalld, ufw, SELinux
 * enforcing, none. Planned from what each tool reports (this machine has none of them, so the
 * live runs are left to machines that do); what is open already is not added again.
 */

const none: SecurityFacts = { firewall: 'none', present: [], selinux: 'absent' };
const database = [
  { port: 5432, from: ['10.0.0.2', '10.0.0.9'], what: 'PostgreSQL' },
  { port: 25432, from: ['10.0.0.2', '10.0.0.9'], what: 'the health agent' },
];
const balancer = [{ port: 15432, what: 'PostgreSQL through HAProxy' }, { port: 7000, what: 'HAProxy stats' }];
const argvs = (plan: ReturnType<typeof firewallPlan>) => plan.actions.map((a) => a.argv.join(' '));

test('firewalld, balancer: each port opened to anyone, then one reload', (t) => {
  t.deepEqual(argvs(firewallPlan({ ...none, firewall: 'firewalld' }, balancer)), [
    'firewall-cmd --permanent --add-port=15432/tcp',
    'firewall-cmd --permanent --add-port=7000/tcp',
    'firewall-cmd --reload',
  ]);
});

test('firewalld, database node: PostgreSQL and the agent from the peer and the balancer only (rich rules)', (t) => {
  const plan = firewallPlan({ ...none, firewall: 'firewalld' }, database);
  t.is(plan.actions.length, 5);
  t.is(plan.actions[0]!.argv[2], '--add-rich-rule=rule family="ipv4" source address="10.0.0.2/32" port port="5432" protocol="tcp" accept');
  t.true(plan.actions.slice(0, 4).every((a) => a.argv[2]!.startsWith('--add-rich-rule=')), 'never a port open to anyone');
  t.regex(ruleText('firewalld', 5432, 'fd00::2'), /family="ipv6" source address="fd00::2\/128"/);
});

test('ufw: the same openings in ufw\'s words, live at once (no reload)', (t) => {
  t.deepEqual(argvs(firewallPlan({ ...none, firewall: 'ufw' }, database)).slice(0, 2), [
    'ufw allow proto tcp from 10.0.0.2 to any port 5432 comment ha-install',
    'ufw allow proto tcp from 10.0.0.9 to any port 5432 comment ha-install',
  ]);
  t.deepEqual(argvs(firewallPlan({ ...none, firewall: 'ufw' }, balancer)), ['ufw allow 15432/tcp comment ha-install', 'ufw allow 7000/tcp comment ha-install']);
});

test('rules already there are not added again: a re-run plans nothing, and says so', (t) => {
  const present = ['15432/tcp', '7000/tcp'];
  const plan = firewallPlan({ ...none, firewall: 'firewalld', present }, balancer);
  t.deepEqual(plan.actions, [], 'no reload either');
  t.regex(plan.notes[0]!, /already open in firewalld: 15432\/tcp/);
  const ufw = firewallPlan({ ...none, firewall: 'ufw', present: ['ufw allow 15432/tcp comment \'ha-install\'', 'ufw allow 7000/tcp'] }, balancer);
  t.deepEqual(ufw.actions, []);
});

test('no firewall: nothing planned, and the plan says why', (t) => {
  const plan = firewallPlan(none, balancer);
  t.deepEqual(plan.actions, []);
  t.regex(plan.notes[0]!, /no active firewalld or ufw/);
});

test('SELinux enforcing: haproxy_connect_any set persistently once; permissive, disabled or absent: nothing', (t) => {
  t.deepEqual(selinuxPlan({ ...none, selinux: 'enforcing', haproxyConnectAny: false }).actions.map((a) => a.argv.join(' ')), ['setsebool -P haproxy_connect_any 1']);
  t.deepEqual(selinuxPlan({ ...none, selinux: 'enforcing', haproxyConnectAny: true }).actions, []);
  for (const selinux of ['permissive', 'disabled', 'absent'] as const) t.deepEqual(selinuxPlan({ ...none, selinux }).actions, [], selinux);
});

test('the balancer\'s plan puts SELinux and the firewall before HAProxy starts, and opens the application port too', (t) => {
  const answers: BalancerAnswers = {
    balancerIp: '10.0.0.9', masterIp: '10.0.0.1', slaveIp: '10.0.0.2', pgPort: 5432, agentPort: 25432, agentTimeoutMs: 1000,
    balancerPort: 15432, statsPort: 7000, appPort: 8080, haproxyConfig: join(mkdtempSync(join(tmpdir(), 'ha-lb-')), 'haproxy.cfg'), haproxyTemplate: undefined,
  };
  const plan = balancerPlan(answers, { init: 'none', logDir: '/tmp', security: { firewall: 'firewalld', present: [], selinux: 'enforcing', haproxyConnectAny: false }, log: silentLogger() });
  const ids = plan.actions.map((a) => a.id);
  t.deepEqual(ids.slice(0, 5), ['selinux:haproxy_connect_any', 'firewall:firewalld:15432:any', 'firewall:firewalld:7000:any', 'firewall:firewalld:8080:any', 'firewall:firewalld:reload']);
  t.true(ids.indexOf('haproxy.config') > ids.indexOf('firewall:firewalld:reload'));
  t.true(ids.includes('haproxy.stats-password'), 'a first install makes the stats password');
  t.truthy(plan.newStatsPassword);
});
