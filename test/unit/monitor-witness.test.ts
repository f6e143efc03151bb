import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { httpGet } from '../../installers/monitor/observe.js';
import { monitorNotes } from '../../installers/monitor/plan.js';
import { runWitness } from '../../installers/monitor/witness.js';
import { lastEvents } from '../../src/flows/status.js';
import { eventText } from '../../src/flows/status-lines.js';

/**
 * The witness as a process would run it, on 127.0.0.1, looking at two "nodes" where nothing
 * listens (a real absence, not a stand-in): /ping answers, /view says what it saw and that it
 * never saw a primary, unknown nodes and other methods are refused. The drills
 * (test/e2e/failover-drill.test.ts) use it against real agents. Also: the install's plain
 * word about its guard, and the event lines status prints.
 */

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('the witness answers /ping, and /view from memory: a node whose agent never answered was never seen as primary', async (t) => {
  const [port, dead1, dead2] = [await freePort(), await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'ha-witness-'));
  const config = join(dir, 'witness.json');
  writeFileSync(config, JSON.stringify({ listen: { host: '127.0.0.1', port }, nodes: [{ host: '127.0.0.1', agentPort: dead1, pgPort: dead2 }], intervalMs: 50, timeoutMs: 100 }));
  const said: string[] = [];
  const stop = await runWitness(config, (line) => said.push(line));
  try {
    await delay(200);
    t.like(await httpGet('127.0.0.1', port, '/ping', 1000), { status: 200, body: { ok: true } });
    const view = await httpGet('127.0.0.1', port, '/view?node=127.0.0.1', 1000);
    t.is(view?.status, 200);
    t.like(view?.body, { node: '127.0.0.1', role: 'unreachable', agoMs: null, answeredAgoMs: null, problem: 'its agent does not answer' });
    const unknown = await httpGet('127.0.0.1', port, '/view?node=127.0.0.99', 1000);
    t.is(unknown?.status, 404);
    t.deepEqual(unknown?.body.nodes, ['127.0.0.1']);
    t.is((await httpGet('127.0.0.1', port, '/other', 1000))?.status, 404);
    t.true(said.some((l) => /watching 127\.0\.0\.1 every 50 ms/.test(l)), said.join('\n'));
    t.true(said.some((l) => l === '127.0.0.1 is unreachable (its agent does not answer)'), said.join('\n'));
  } finally {
    await stop();
  }
  t.is(await httpGet('127.0.0.1', port, '/ping', 300), undefined, 'stopped: nothing listens any more');
});

test('the install says plainly what guards the pair: the witness, nothing but pings, or no automatic failover', (t) => {
  t.regex(monitorNotes({ failoverAutomatic: true, balancerIp: '127.0.0.10', pingTargets: [], witnessPort: 25433 })[0]!, /the balancer 127\.0\.0\.10 is the witness \(port 25433\)/);
  t.regex(monitorNotes({ failoverAutomatic: true, balancerIp: undefined, pingTargets: ['127.0.0.13'], witnessPort: 25433 })[0]!, /WITHOUT a witness .*\(127\.0\.0\.13\) are the only guard/);
  t.regex(monitorNotes({ failoverAutomatic: true, balancerIp: undefined, pingTargets: [], witnessPort: 25433 })[0]!, /\(none given\)/);
  t.regex(monitorNotes({ failoverAutomatic: false, balancerIp: '127.0.0.10', pingTargets: [], witnessPort: 25433 })[0]!, /automatic failover is off .* run promote on the slave/);
});

test('status shows the last five events, newest last, each with what its script did; a damaged line is skipped', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ha-events-status-'));
  const lines = [
    ...Array.from({ length: 4 }, (_, i) => JSON.stringify({ at: `2026-12-02T00:00:0${i}Z`, name: 'ClearAlarm', args: [`old ${i}`] })),
    '{not json',
    JSON.stringify({ at: '2026-12-02T00:00:05Z', name: 'Failover', args: ['127.0.0.12', '127.0.0.11'], script: { exitCode: 0, ms: 3 } }),
    JSON.stringify({ at: '2026-12-02T00:00:06Z', name: 'RaiseAlarm', args: ['failover', 'x'], script: { timedOut: true, ms: 10000 } }),
  ];
  writeFileSync(join(dir, 'events.jsonl'), lines.join('\n') + '\n');
  const events = lastEvents(dir);
  t.is(events.length, 4, 'five lines read, the damaged one skipped');
  t.is(eventText(events.at(-2)!), '2026-12-02T00:00:05Z Failover 127.0.0.12 127.0.0.11; script exit 0');
  t.is(eventText(events.at(-1)!), '2026-12-02T00:00:06Z RaiseAlarm failover x; script killed after its timeout');
  t.deepEqual(lastEvents(join(dir, 'nowhere')), []);
});
