import test from 'ava';
import { checkRows } from '../helpers/json-events.js';
import { answersFile, assertRefused, balancerNetns, goodBalancer, goodServer, measured, pair, password, refusedBothWays, workspace } from '../helpers/hostile.js';

/**
 * Addresses compared as addresses: the same machine written two ways is the same machine, and
 * spellings that ping, PostgreSQL and pg_hba.conf read differently are refused, by
 * `answers validate` and by a run alike.
 */
const env = { HA_BACKUP_PASSWORD: password };
const pairYaml = (master: string, slave: string) =>
  `mode: master\nmaster-ip: ${JSON.stringify(master)}\nslave-ip: ${JSON.stringify(slave)}\nrequirements:\n  min-ram-gb: 1\n  min-cores: 1\n  min-disk-gb: 1\npostgresql:\n  backup-password: env:HA_BACKUP_PASSWORD\n`;

test('the same machine as master and slave, however written, is refused', async (t) => {
  for (const [master, slave] of [
    ['127.0.0.11', '::ffff:127.0.0.11'],
    ['127.0.0.11', '[::ffff:7f00:b]'],
    ['::ffff:127.0.0.11', '127.0.0.11'],
    ['fd00::11', 'FD00:0:0:0:0:0:0:0011'],
    ['[fd00::11]', 'fd00::11'],
  ]) {
    await refusedBothWays(t, answersFile(pairYaml(master, slave)), /slave-ip: is the same as master-ip/, `${master} / ${slave}`, env);
  }
});

test('leading zeros, numeric host names, zone ids and addresses of no single server are refused', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['127.0.0.012', /slave-ip: "127\.0\.0\.012" is not a valid IPv4 address: part "012" has a leading zero/],
    ['0x7f.0.0.12', /slave-ip: "0x7f\.0\.0\.12" looks like a number, not a host name/],
    ['2130706444', /slave-ip: "2130706444" is not a valid IPv4 address: has 1 part/],
    ['fe80::12%lo', /slave-ip: "fe80::12%lo" has a zone id \("%lo"\), which pg_hba\.conf cannot carry/],
    ['[fe80::12%25lo]', /slave-ip: .* has a zone id/],
    ['0.0.0.0', /slave-ip: "0\.0\.0\.0" is the "any address"/],
    ['::', /slave-ip: "::" is the "any address"/],
    ['224.0.0.1', /slave-ip: "224\.0\.0\.1" is a broadcast or multicast address/],
    ['ff02::1', /slave-ip: "ff02::1" is a multicast address/],
    ['127.0.0.12\nlocal all all trust', /slave-ip: contains a line break/],
  ];
  for (const [slave, message] of cases) await refusedBothWays(t, answersFile(pairYaml('127.0.0.11', slave)), message, JSON.stringify(slave), env);
});

test('flags are held to the same rules: --slave-ip ::ffff:127.0.0.11 with --master-ip 127.0.0.11', async (t) => {
  const w = workspace();
  const result = await measured(
    ['--mode', 'load-balancer', '--master-ip', '127.0.0.11', '--slave-ip', '::ffff:127.0.0.11', '--balancer-ip', '127.0.0.10', '--dry-run', '--facts', goodBalancer, ...w.common],
    { netns: balancerNetns },
  );
  assertRefused(t, result, /--slave-ip: is the same as master-ip \(127\.0\.0\.11\)/, 'flags');
  t.true(w.unchanged());
});

test('an IPv4-mapped master address is this machine\'s IPv4 address: the dry run probes it as 127.0.0.11', async (t) => {
  const w = workspace();
  const result = await measured(
    ['--mode', 'load-balancer', '--master-ip', '[::ffff:127.0.0.11]', '--slave-ip', '127.0.0.12', '--balancer-ip', '127.0.0.10', '--dry-run', '--json', '--facts', goodBalancer, ...w.common],
    { netns: balancerNetns },
  );
  // The addresses pass; the balancer's preflight then refuses, as no agent runs in this namespace.
  t.is(result.exitCode, 2, result.stderr);
  t.true(checkRows(result.stdout, 'Reachability').has('master 127.0.0.11'), result.stdout);
  t.true(checkRows(result.stdout, 'Balancer preflight').has('agent on the master 127.0.0.11'), result.stdout);
  t.notRegex(result.stdout + result.stderr, /ffff/);
});
