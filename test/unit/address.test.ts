import test from 'ava';
import { checkAddress, hostNetwork } from '../../src/system/address.js';
import { isLocal, notLocalMessage } from '../../src/flows/install/addresses.js';
import { parsePackageProgress } from '../../installers/packages/manager.js';
import { wantedPackages } from '../../installers/packages/index.js';

test('IPv4, IPv6 and host names are accepted; 192.168.0.300 and empty are not', (t) => {
  t.like(checkAddress('192.168.0.137'), { ok: true, kind: 'ipv4' });
  t.like(checkAddress('fd00::11'), { ok: true, kind: 'ipv6' });
  t.like(checkAddress('db1.example.com'), { ok: true, kind: 'hostname' });
  const bad = checkAddress('192.168.0.300');
  t.false(bad.ok);
  if (!bad.ok) t.regex(bad.message, /not a valid IPv4 address.*"300"/);
  t.like(checkAddress(''), { ok: false, message: 'is empty' });
  t.like(checkAddress('1.2.3'), { ok: false });
  t.like(checkAddress('fd00:::1'), { ok: false });
  t.like(checkAddress('bad_host!'), { ok: false });
});

test('hba networks are /32 for IPv4 and /128 for IPv6', (t) => {
  t.is(hostNetwork('127.0.0.12'), '127.0.0.12/32');
  t.is(hostNetwork('fd00::12'), 'fd00::12/128');
});

test('a role address that is not local names the addresses that are', (t) => {
  const facts = { addresses: [{ interface: 'eth0', address: '192.0.2.5', family: 'IPv4' as const }] };
  t.false(isLocal('127.0.0.11', facts));
  const { message, fix } = notLocalMessage('masterIp', '127.0.0.11', 'master', facts);
  t.regex(message, /127\.0\.0\.11 is not an address of this machine/);
  t.regex(message, /192\.0\.2\.5 \(eth0\)/);
  t.regex(fix, /master-ip/);
});

test('package lists per role and family, with a pinned PostgreSQL major', (t) => {
  t.deepEqual(wantedPackages({ mode: 'master', pgVersion: undefined, extraPackages: [] }, 'debian'), ['postgresql', 'postgresql-contrib', 'iputils-ping']);
  t.deepEqual(wantedPackages({ mode: 'slave', pgVersion: 15, extraPackages: ['htop'] }, 'debian'), ['postgresql-15', 'postgresql-contrib', 'iputils-ping', 'htop']);
  t.deepEqual(wantedPackages({ mode: 'load-balancer', pgVersion: undefined, extraPackages: [] }, 'rhel'), ['haproxy', 'iputils']);
});

test('apt status lines become progress', (t) => {
  t.deepEqual(parsePackageProgress('pmstatus:hello:42.8571:Installing hello (amd64)\n'), { percent: 43, detail: 'Installing hello (amd64)' });
  t.is(parsePackageProgress('Reading package lists...'), undefined);
});
