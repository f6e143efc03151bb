import test from 'ava';
import { answer, parseLag, type NodeView } from '../../installers/agent/answer.js';

/** The agent's answer in each state of its node, as HAProxy and people read it. */

const free = { fenced: false } as const;
const primary: NodeView = { up: true, role: 'primary', timeline: 3, lsn: '0/3000060', fence: free };
const replica: NodeView = { up: true, role: 'standby', timeline: 3, lsn: '0/3000060', receiver: 'streaming', lagBytes: 0, fence: free };
const opts = { cluster: '15/main' };
const status = (check: Parameters<typeof answer>[0], view: NodeView, lagLimit?: number) => answer(check, view, { ...opts, lagLimit }).status;

test('a writable primary: 200 on /primary, /read-only and /health, 503 on /replica', (t) => {
  t.deepEqual([status('primary', primary), status('read-only', primary), status('health', primary), status('replica', primary)], [200, 200, 200, 503]);
  t.like(answer('primary', primary, opts).body, { role: 'primary', timeline: 3, fenced: false, ok: true });
});

test('a streaming standby: 503 on /primary, 200 on /replica and /read-only', (t) => {
  t.deepEqual([status('primary', replica), status('replica', replica), status('read-only', replica)], [503, 200, 200]);
  t.like(answer('primary', replica, opts).body, { role: 'replica', replication_state: 'streaming', why: 'a standby, not the writable primary' });
});

test('a standby lagging past ?lag= is no replica for that client, and says by how much', (t) => {
  const lagging = { ...replica, lagBytes: 20 * 1024 * 1024 };
  t.is(status('replica', lagging, parseLag('16MB')), 503);
  t.is(status('replica', lagging, parseLag('32MB')), 200);
  t.regex(String(answer('replica', lagging, { ...opts, lagLimit: 1024 }).body.why), /lags 20971520 bytes behind, more than the 1024 allowed/);
  t.is(status('replica', { ...replica, lagBytes: undefined }, 1024), 503, 'an unknown lag is not within a limit');
});

test('a standby that does not stream is no replica', (t) => {
  t.is(status('replica', { ...replica, receiver: undefined }), 503);
  t.is(status('read-only', { ...replica, receiver: 'starting' }), 503);
});

test('PostgreSQL down or stalled: 503 everywhere, /health included, with the reason', (t) => {
  for (const problem of ['PostgreSQL is not running (no postmaster.pid)', 'PostgreSQL is stalled: the postmaster 42 is stopped (SIGSTOP or a debugger)', 'no answer from PostgreSQL within 1000 ms']) {
    const view: NodeView = { up: false, problem, fence: free };
    for (const check of ['primary', 'replica', 'read-only', 'health'] as const) t.is(status(check, view), 503);
    t.like(answer('health', view, opts).body, { state: 'unavailable', role: 'unknown', why: problem });
  }
});

test('fenced (either source): 503 on everything but /health, and why', (t) => {
  for (const fence of [{ fenced: true, source: 'runtime', reason: 'cut off (by monitor)' }, { fenced: true, source: 'start guard', reason: 'the peer is the primary now' }] as const) {
    const view = { ...primary, fence };
    t.deepEqual([status('primary', view), status('replica', view), status('read-only', view), status('health', view)], [503, 503, 503, 200]);
    t.like(answer('primary', view, opts).body, { fenced: true, fence: { source: fence.source, reason: fence.reason } });
  }
});

test('no body field carries anything secret: only the listed fields', (t) => {
  const keys = Object.keys(answer('replica', { ...replica, fence: { fenced: true, source: 'runtime', reason: 'x' }, hold: 'switchover' }, { ...opts, lagLimit: 5 }).body).sort();
  t.deepEqual(keys, ['check', 'cluster', 'fence', 'fenced', 'hold', 'lag_bytes', 'lag_limit_bytes', 'ok', 'replication_state', 'role', 'state', 'timeline', 'wal_position', 'why']);
});

test('?lag= takes bytes and 1024-based units, and refuses the rest', (t) => {
  t.is(parseLag('1048576'), 1048576);
  t.is(parseLag('16MB'), 16 * 1024 ** 2);
  t.is(parseLag('16mb'), 16 * 1024 ** 2);
  t.is(parseLag('1.5k'), 1536);
  t.is(parseLag('2GB'), 2 * 1024 ** 3);
  for (const bad of ['', 'lots', '-1', '16XB', '1e3']) t.is(parseLag(bad), undefined, bad);
});
