import test from 'ava';
import type { Answers } from '../../src/answers/types.js';
import { planFingerprint } from '../../src/engine/journal.js';
import { Logger } from '../../src/system/log.js';
import { demoteFunctionSql } from '../../installers/postgresql/levers.js';
import { PROMOTE_ID, switchoverActions, type SwitchoverInput } from '../../installers/postgresql/switchover.js';

/** The switchover's plan as data: the order that loses nothing, where each action runs, the same plan on a re-run. */
const input = (runOn: 'master' | 'standby', synchronous = false): SwitchoverInput => ({
  ref: { version: 15, name: 'main' },
  init: 'none',
  dataDir: '/var/lib/postgresql/15/main',
  self: '127.0.0.11',
  peer: '127.0.0.12',
  port: 5432,
  user: 'replicator',
  slot: 'ha_slave',
  synchronous,
  runOn,
  timeoutSeconds: 60,
  intentPath: '/tmp/none/switchover-in-progress.json',
  demoteRecordPath: '/tmp/none/switchover-demote.json',
  pg: { answers: { masterIp: '127.0.0.12' } as Answers, facts: {} as never, log: new Logger(undefined) },
  login: { host: '127.0.0.12', port: 5432, user: 'replicator', password: 'x' },
});
const ids = (runOn: 'master' | 'standby', synchronous = false) => switchoverActions(input(runOn, synchronous)).map((a) => a.id);

test('run on the master: stop, standby.signal, the LSN proof, then the promote of the peer; the rejoin after it', (t) => {
  const order = ids('master');
  const at = (id: string) => order.indexOf(id);
  t.deepEqual(order.slice(0, 5), ['switchover.intent', 'switchover.slot', 'switchover.stop', 'postgresql.standby-signal', 'switchover.proof']);
  t.true(at('switchover.proof') < at(PROMOTE_ID) && at(PROMOTE_ID) < at('switchover.start') && at('switchover.start') < at('switchover.verify'));
  t.is(order.at(-1), 'switchover.intent-done', 'the note goes only once the switch is proven');
  const promote = switchoverActions(input('master')).find((a) => a.id === PROMOTE_ID);
  t.like(promote, { kind: 'sql', target: { on: 'peer', host: '127.0.0.12', user: 'replicator' } });
  t.regex(promote?.kind === 'sql' ? promote.sql : '', /CASE WHEN pg_is_in_recovery\(\) THEN pg_promote/, 'idempotent: a re-run after a lost answer goes on');
});

test('run on the standby: the master is asked to step down and proven before this node is promoted, here', (t) => {
  const order = ids('standby');
  t.true(order.indexOf('switchover.demote-and-proof') < order.indexOf(PROMOTE_ID));
  t.false(order.includes('switchover.stop'), 'nothing is stopped here');
  t.like(switchoverActions(input('standby')).find((a) => a.id === PROMOTE_ID), { target: { on: 'local' } });
});

test('synchronous pairs: off on the node to be promoted before, on again after the old master streams', (t) => {
  const order = ids('master', true);
  t.true(order.indexOf('switchover.synchronous-off') < order.indexOf(PROMOTE_ID));
  t.true(order.indexOf('switchover.verify') < order.indexOf('switchover.synchronous-on'));
  const off = switchoverActions(input('master', true)).find((a) => a.id === 'switchover.synchronous-off');
  t.like(off, { target: { on: 'peer' }, separately: true }, 'ALTER SYSTEM over the network, outside the implicit transaction of a multi-statement query');
});

test('the plan depends only on how the run began: a re-run resumes the same journal', (t) => {
  const fingerprint = (runOn: 'master' | 'standby') => planFingerprint({ title: 't', notes: [], actions: switchoverActions(input(runOn)) });
  t.is(fingerprint('master'), fingerprint('master'));
  t.not(fingerprint('master'), fingerprint('standby'));
});

test('the demote function: definer rights, no argument reaches the shell, EXECUTE for the replication role only', (t) => {
  const sql = demoteFunctionSql('replicator');
  t.regex(sql, /SECURITY DEFINER SET search_path = pg_catalog, pg_temp/);
  t.regex(sql, /REVOKE ALL ON FUNCTION ha_install\.switchover_demote\(boolean\) FROM PUBLIC;\nGRANT EXECUTE ON FUNCTION ha_install\.switchover_demote\(boolean\) TO "replicator";/);
  t.regex(sql, /IF check_only THEN RETURN 'ready'; END IF;/, 'the preflight asks without changing anything');
  t.regex(sql, /\/run\/systemd\/system/, 'refused where postgres cannot restart through systemd');
  t.notRegex(sql, /check_only \|\||\|\| check_only/, 'the only argument never reaches the command');
});
