import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type Netns } from '../helpers/cli.js';

/**
 * Install mode 4's bad input, through the real binary in a private network namespace where
 * 127.0.0.10-12 are this machine's and no agent runs: the bind address not local, master =
 * slave, the balancer on a database node's address, a port in use, a custom template that
 * names an unknown value or that HAProxy refuses, agents that do not answer. Each is exit 2
 * naming the field, and the live configuration is untouched.
 */

const netns: Netns = { addresses: ['127.0.0.10', '127.0.0.11', '127.0.0.12'] };
const LIVE = 'global\n    # the admin\'s own, before ha-install\n';

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'ha-lb-refuse-'));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, LIVE);
  const base = ['--mode', '4', '--master-ip', '127.0.0.11', '--slave-ip', '127.0.0.12', '--ignore-requirements', '--skip-packages'];
  const answers = (extra: string) => {
    const file = join(dir, 'answers.yaml');
    writeFileSync(file, `reachability: {ping-count: 1, timeout-seconds: 1}\nhaproxy:\n  config: ${config}\n  port: 5491\n  stats-port: 5492\n${extra}agent:\n  port: 5493\n`, { mode: 0o600 });
    return file;
  };
  return { dir, config, base, answers, common: ['--state-dir', join(dir, 'state'), '--log-dir', join(dir, 'logs')] };
}

async function refused(t: import('ava').ExecutionContext, w: ReturnType<typeof workspace>, args: string[], expect: RegExp[], options: Parameters<typeof runCli>[1] = {}) {
  const result = await runCli([...args, ...w.common], { netns, ...options });
  t.is(result.exitCode, 2, `exit code 2 expected; stderr:\n${result.stderr}`);
  for (const pattern of expect) t.regex(result.stderr, pattern);
  t.is(readFileSync(w.config, 'utf8'), LIVE, 'the live configuration is untouched');
  t.false(existsSync(`${w.config}.ha-install-tmp`));
  t.false(existsSync(join(w.dir, 'state', 'state.json')), 'no state written');
  return result;
}

test('the balancer\'s address must be this machine\'s', async (t) => {
  const w = workspace();
  await refused(t, w, [...w.base, '--balancer-ip', '127.0.0.99', '--answers', w.answers('')], [/balancer-ip/, /127\.0\.0\.99 is not an address of this machine/, /mode 4 on the load balancer itself/]);
});

test('master = slave, or the balancer on a database node\'s address, is refused before anything runs', async (t) => {
  const w = workspace();
  await refused(t, w, ['--mode', '4', '--master-ip', '127.0.0.11', '--slave-ip', '127.0.0.11', '--balancer-ip', '127.0.0.10', '--dry-run'], [/slave-ip/, /same as master-ip/]);
  await refused(t, w, [...w.base, '--balancer-ip', '127.0.0.12', '--dry-run'], [/balancer-ip/, /database node/]);
});

test('agents that do not answer: the preflight names each node and the fix, and nothing changes (a real run, not a dry run)', async (t) => {
  const w = workspace();
  const r = await refused(t, w, [...w.base, '--balancer-ip', '127.0.0.10', '--answers', w.answers('')], [
    /The balancer preflight failed: nothing was changed/,
    /agent on the master 127\.0\.0\.11: tcp\/5493: connection refused: no agent listens there/,
    /agent on the slave 127\.0\.0\.12/,
    /install \(or re-run\) the master with ha-install \(mode 2\)/,
  ]);
  t.notRegex(r.stderr, /haproxy\.port/, 'the ports were free');
});

test('a port in use on the balancer\'s address is refused, naming its key', async (t) => {
  const w = workspace();
  const listen = `node -e "require('net').createServer().listen(5491, '127.0.0.10')" & L=$!; sleep 0.5; "$@"; rc=$?; kill $L; exit $rc`;
  await refused(t, w, [...w.base, '--balancer-ip', '127.0.0.10', '--answers', w.answers(''), '--dry-run'], [/haproxy\.port/, /port 5491: in use/, /another program listens on 127\.0\.0\.10:5491/], { wrap: ['sh', '-c', listen, 'sh'] });
});

test('a custom template with an unknown name is refused with its line; one HAProxy refuses is refused with HAProxy\'s words', async (t) => {
  const w = workspace();
  const unknown = join(w.dir, 'unknown.cfg');
  writeFileSync(unknown, 'global\n    maxconn {{max_connections}}\n');
  await refused(t, w, [...w.base, '--balancer-ip', '127.0.0.10', '--answers', w.answers(`  template: ${unknown}\n`), '--dry-run'], [/haproxy\.template/, /line 2: \{\{max_connections\}\} is not a known name/]);
  const broken = join(w.dir, 'broken.cfg');
  writeFileSync(broken, 'global\n    no-such-keyword {{pg_port}}\nlisten x\n    bind {{balancer_ip}}:{{pg_port}}\n');
  await refused(t, w, [...w.base, '--balancer-ip', '127.0.0.10', '--answers', w.answers(`  template: ${broken}\n`), '--dry-run'], [/haproxy\.template/, /configuration: haproxy -c refuses it: .*no-such-keyword/]);
});
