import test from 'ava';
import net from 'node:net';
import { preflightSlave } from '../../installers/postgresql/slave.js';
import { context, pairAnswers, testLogger } from '../helpers/postgresql.js';

/**
 * The slave waits for a master that is still installing, with a countdown, and stops with a
 * clear row when the wait runs out. Ports 5448/5449 on 127.0.0.11: nothing else uses them.
 */
const log = testLogger('pg-wait');
const password = { source: 'plain' as const, value: 'irrelevant' };

test('no master within the wait: countdown, then a failed row naming the setting', async (t) => {
  const seen: number[] = [];
  const ctx = await context(pairAnswers({ mode: 'slave', pgPort: 5449, masterWaitSeconds: 2, backupPassword: password }), log, { onWait: (s) => seen.push(s) });
  const started = Date.now();
  const { rows } = await preflightSlave(ctx);
  t.true(Date.now() - started < 10_000, 'gives up after the configured wait, not the 300 s default');
  t.true(seen.length >= 1 && seen[0]! <= 2 && seen.every((s, i) => i === 0 || s < seen[i - 1]!), `countdown ${seen}`);
  t.like(rows[0], { name: 'master port', verdict: 'fail', measured: '127.0.0.11:5449: no answer within 2 s' });
  t.regex(rows[0]!.fix ?? '', /postgresql\.master-wait-seconds/);
  // The rows after it are not failures of their own: they could not be checked.
  t.true(rows.slice(1).every((r) => r.verdict === 'info' && r.measured.startsWith('not checked')));
});

test('a master that comes up during the wait ends the countdown', async (t) => {
  const server = net.createServer((socket) => socket.destroy());
  setTimeout(() => server.listen(5448, '127.0.0.11'), 1500);
  try {
    const seen: number[] = [];
    const ctx = await context(pairAnswers({ mode: 'slave', pgPort: 5448, masterWaitSeconds: 20, backupPassword: password }), log, { onWait: (s) => seen.push(s) });
    const { rows } = await preflightSlave(ctx);
    t.like(rows[0], { name: 'master port', verdict: 'ok' });
    t.true(seen.length >= 1 && seen.length <= 3, String(seen));
    // Not PostgreSQL behind the port: the login row fails in words, nothing crashes.
    t.like(rows[1], { name: 'replication login', verdict: 'fail' });
  } finally {
    server.close();
  }
});
