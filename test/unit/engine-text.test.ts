import test from 'ava';
import { replaceBlock, unifiedDiff } from '../../src/engine/text.js';

const hba = 'local all postgres peer\nhost all all 127.0.0.1/32 scram-sha-256\n';

test('a new block goes on top, where pg_hba.conf first-match rules need it', (t) => {
  const out = replaceBlock(hba, 'ha-install', 'host replication replicator 127.0.0.12/32 scram-sha-256', 'top');
  t.true(out.startsWith('# BEGIN ha-install\nhost replication replicator 127.0.0.12/32 scram-sha-256\n# END ha-install\n'));
  t.true(out.endsWith(hba));
});

test('re-applying the same block changes nothing and never duplicates it', (t) => {
  const once = replaceBlock(hba, 'ha-install', 'host replication replicator 127.0.0.12/32 scram-sha-256', 'top');
  const twice = replaceBlock(once, 'ha-install', 'host replication replicator 127.0.0.12/32 scram-sha-256', 'top');
  t.is(twice, once);
  t.is(twice.split('# BEGIN ha-install').length, 2);
});

test('a changed block is replaced in place, the rest of the file kept', (t) => {
  const once = replaceBlock(hba, 'x', 'old line', 'bottom');
  const changed = replaceBlock(once, 'x', 'new line', 'bottom');
  t.is(changed, `${hba}# BEGIN x\nnew line\n# END x\n`);
});

test('unified diff shows added and removed lines, empty when equal', (t) => {
  t.is(unifiedDiff('/f', 'a\nb\n', 'a\nb\n'), '');
  const diff = unifiedDiff('/etc/x.conf', 'a\nb\nc\n', 'a\nB\nc\n');
  t.true(diff.includes('-b'));
  t.true(diff.includes('+B'));
  t.true(diff.startsWith('--- /etc/x.conf\n+++ /etc/x.conf'));
  t.true(unifiedDiff('/new', undefined, 'x\n').startsWith('--- /dev/null'));
});
