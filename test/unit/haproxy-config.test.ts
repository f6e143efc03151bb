import test from 'ava';
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSha512Crypt, sha512Crypt, sha512CryptMatches } from '../../installers/haproxy/crypt.js';
import { renderConfig, type BalancerAnswers } from '../../installers/haproxy/render.js';
import { parseServersState, parseShowStat } from '../../installers/haproxy/stats.js';
import { InputError } from '../../src/system/errors.js';

/** The balancer's configuration: the stats hash, the shipped template through the real `haproxy -c`, custom templates, the stats socket's CSV. */

const answers: BalancerAnswers = {
  balancerIp: '127.0.0.10', masterIp: '127.0.0.11', slaveIp: '127.0.0.12', pgPort: 5440, agentPort: 25432, agentTimeoutMs: 1000,
  balancerPort: 15432, statsPort: 7000, appPort: undefined, haproxyConfig: '/etc/haproxy/haproxy.cfg', haproxyTemplate: undefined,
};
const extras = { statsHash: sha512Crypt('Stats-Pass-1', 'fixedsalt'), statsSocket: '/run/ha-install/t.sock', stateFile: '/run/ha-install/t.servers' };

async function haproxyCheck(text: string): Promise<{ exitCode: number; out: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'ha-cfg-')), 'haproxy.cfg');
  writeFileSync(file, text);
  const r = await execa('haproxy', ['-c', '-f', file], { reject: false });
  return { exitCode: r.exitCode ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

test('SHA-512 crypt matches openssl passwd -6, for long and non-ASCII passwords too', async (t) => {
  for (const [password, salt] of [['hello', 'saltsalt'], ['pässwörd with spaces, quite a lot longer than sixty-four bytes in all: 0123456789', 'a/b.Cd9'], ['x', 'sixteencharssalt']]) {
    const openssl = (await execa('openssl', ['passwd', '-6', '-salt', salt!, '-stdin'], { input: password })).stdout.trim();
    t.is(sha512Crypt(password!, salt!), openssl, password);
  }
  const fresh = newSha512Crypt('Stats-Pass-1');
  t.true(sha512CryptMatches('Stats-Pass-1', fresh));
  t.false(sha512CryptMatches('stats-pass-1', fresh));
  t.false(sha512CryptMatches('Stats-Pass-1', 'plain'), 'a value that is no $6$ hash never matches');
});

test('the shipped template renders a configuration the real haproxy -c accepts, with and without the application port', async (t) => {
  for (const appPort of [undefined, 8080]) {
    const text = renderConfig({ ...answers, appPort }, extras);
    const checked = await haproxyCheck(text);
    t.is(checked.exitCode, 0, checked.out);
    t.regex(text, /option httpchk GET \/primary/);
    t.regex(text, /server master 127\.0\.0\.11:5440 check port 25432/);
    t.regex(text, /on-marked-down shutdown-sessions/);
    t.regex(text, /inter 1s fastinter 250ms downinter 250ms fall 3 rise 2/);
    t.regex(text, /source 127\.0\.0\.10\n/);
    t.regex(text, /timeout check 2000ms/);
    t.notRegex(text, /Stats-Pass-1/, 'the password itself is never in the configuration');
    t.regex(text, new RegExp(`user admin password ${extras.statsHash.replaceAll('$', '\\$')}`));
    t.is(/listen application/.test(text), appPort !== undefined);
    t.notRegex(text, /\{\{/, 'every tag was replaced');
  }
});

test('IPv6 addresses are bracketed before the port, and haproxy -c accepts them', async (t) => {
  const text = renderConfig({ ...answers, balancerIp: '::1', masterIp: 'fd00::11', slaveIp: 'fd00::12' }, extras);
  t.regex(text, /bind \[::1\]:15432/);
  t.regex(text, /server master \[fd00::11\]:5440/);
  t.is((await haproxyCheck(text)).exitCode, 0);
});

test('a custom template with an unknown name or an open section is refused with its lines, naming haproxy.template', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ha-tpl-'));
  const file = join(dir, 'mine.cfg');
  writeFileSync(file, 'global\n  maxconn {{max_conn}}\n{{#app_port}}\nlisten app\n');
  const error = t.throws(() => renderConfig({ ...answers, haproxyTemplate: file }, extras), { instanceOf: InputError });
  t.deepEqual(error!.problems.map((p) => p.field), ['haproxy.template', 'haproxy.template']);
  t.regex(error!.problems[0]!.message, /^line 2: \{\{max_conn\}\} is not a known name/);
  t.regex(error!.problems[1]!.message, /\{\{#app_port\}\} is never closed/);
  const missing = t.throws(() => renderConfig({ ...answers, haproxyTemplate: join(dir, 'nope.cfg') }, extras), { instanceOf: InputError });
  t.regex(missing!.problems[0]!.message, /does not exist/);
});

test('a custom template that uses the known names renders with them', (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'ha-tpl-')), 'mine.cfg');
  writeFileSync(file, 'listen pg\n  bind {{balancer_ip}}:{{pg_port}}\n{{^app_port}}\n# no application\n{{/app_port}}\n');
  t.is(renderConfig({ ...answers, haproxyTemplate: file }, extras), 'listen pg\n  bind 127.0.0.10:15432\n# no application\n');
});

const stat = `# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,addr
postgresql,FRONTEND,,,2,5,9983,40,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,0,,,,
postgresql,master,0,0,2,4,,38,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,95,0,,1,2,1,,38,,2,0,,3,L7OK,200,2,
postgresql,slave,0,0,0,0,,2,0,0,,0,,0,0,0,0,DOWN,1,1,0,3,1,90,90,,1,2,2,,2,,2,0,,1,L7STS,503,1,
postgresql,BACKEND,0,0,2,5,,40,0,0,0,0,,0,0,0,0,UP,1,1,0,,0,95,0,,1,2,0,,40,,1,0,,4,,,,
`;
const state = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state
2 postgresql 1 master 127.0.0.11 2
2 postgresql 2 slave 127.0.0.12 0
`;

test('the stats socket\'s CSV becomes one row per server: state, check, since, sessions; addresses from show servers state', (t) => {
  const servers = parseShowStat(stat);
  t.deepEqual(servers.map((s) => [s.name, s.status, s.check, s.sinceSeconds, s.sessions, s.totalSessions]), [
    ['master', 'UP', 'L7OK/200 in 2 ms', 95, 2, 38],
    ['slave', 'DOWN', 'L7STS/503 in 1 ms', 90, 0, 2],
  ]);
  t.deepEqual([...parseServersState(state)], [['postgresql/master', '127.0.0.11'], ['postgresql/slave', '127.0.0.12']]);
});
