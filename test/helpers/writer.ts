/**
 * The drill's client: writes numbered rows (`INSERT INTO drill (n) VALUES (n)`) one at a time
 * through whatever PG* environment variables name (the balancer), and appends each number to
 * OUT once its commit is acknowledged (`N MS`, MS the time of the acknowledgement, Date.now()), so a test can prove which acknowledged rows survived a
 * failover. On any error it reconnects every 20 ms and keeps the number it failed with for the
 * next try. Runs until SIGTERM, then writes OUT.summary.json (acknowledged, errors, the longest
 * time without an acknowledged write).
 *
 *   FIRST=1 node --import tsx test/helpers/writer.ts OUT
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';

const out = process.argv[2]!;
writeFileSync(out, '');
let stopping = false;
process.on('SIGTERM', () => (stopping = true));

// FIRST: where this writer's numbers start, so writers of one table never share one.
const first = Number(process.env.FIRST ?? 1);
let [next, acknowledged, errors] = [first, 0, 0];
let lastAck = performance.now();
let longestPauseMs = 0;
let client: pg.Client | undefined;

async function connect(): Promise<pg.Client> {
  const fresh = new pg.Client({ connectionTimeoutMillis: 1000, query_timeout: 2000, application_name: 'ha-drill-writer' });
  fresh.on('error', () => undefined); // a dropped connection surfaces as the next query's error
  await fresh.connect();
  return fresh;
}

while (!stopping) {
  try {
    client ??= await connect();
    await client.query('INSERT INTO drill (n) VALUES ($1)', [next]);
    appendFileSync(out, `${next} ${Date.now()}\n`);
    const now = performance.now();
    longestPauseMs = Math.max(longestPauseMs, now - lastAck);
    lastAck = now;
    acknowledged++;
    next++;
  } catch (error) {
    // A commit whose acknowledgement was lost may have happened: the retry then finds the row.
    // It was never acknowledged, so it is not written to OUT; the next number goes on.
    if ((error as { code?: string }).code === '23505') {
      next++;
      continue;
    }
    errors++;
    await client?.end().catch(() => undefined);
    client = undefined;
    await delay(20);
  }
}
await client?.end().catch(() => undefined);
writeFileSync(`${out}.summary.json`, JSON.stringify({ acknowledged, errors, longestPauseMs: Math.round(longestPauseMs), last: next - 1, first }));
