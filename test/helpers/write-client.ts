/**
 * A client that writes numbered rows for as long as it runs, as an application would: to the
 * host that took its last write, and when that fails (the node stopped, is read-only now, or
 * the balancer moved) it reconnects, to the next host when HOSTS lists more than one. Every
 * commit the server acknowledged is appended to ACK_FILE at once as `N MS` (MS: Date.now() of
 * the acknowledgement), so a test can prove none was lost and when the writes resumed. On
 * SIGTERM it prints {acked, maxPauseMs, errors} as JSON and exits.
 *
 *   HOSTS=127.0.0.11,127.0.0.12 PORT=5610 PGUSER=replicator PGPASSWORD=... ACK_FILE=... \
 *     [TABLE=sw_rows RUN=name] [FIRST=1] node --import tsx write-client.ts
 *
 * TABLE takes (run, n) when RUN is given, (n) alone otherwise; a host may be a socket folder.
 * FIRST is where the numbers start, so that writers of one table never share one.
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';

const hosts = (process.env.HOSTS ?? '').split(',');
const ackFile = process.env.ACK_FILE!;
const run = process.env.RUN;
const insert = run ? `INSERT INTO ${process.env.TABLE ?? 'sw_rows'} (run, n) VALUES ($2, $1)` : `INSERT INTO ${process.env.TABLE ?? 'sw_rows'} (n) VALUES ($1)`;
let current = 0;
let client: pg.Client | undefined;
let [n, acked, errors, maxPauseMs] = [Number(process.env.FIRST ?? 1), 0, 0, 0];
let lastAck = Date.now();
let stopping = false;

process.on('SIGTERM', () => {
  stopping = true;
});

async function connect(host: string): Promise<pg.Client> {
  const c = new pg.Client({ host, port: Number(process.env.PORT), user: process.env.PGUSER, password: process.env.PGPASSWORD, database: 'postgres', connectionTimeoutMillis: 1000, query_timeout: 2000 });
  c.on('error', () => undefined); // a dropped connection surfaces as the next query's error
  await c.connect();
  return c;
}

while (!stopping) {
  try {
    client ??= await connect(hosts[current]!);
    await client.query(insert, run ? [n, run] : [n]);
    const now = Date.now();
    appendFileSync(ackFile, `${n} ${now}\n`);
    maxPauseMs = Math.max(maxPauseMs, now - lastAck);
    lastAck = now;
    acked++;
    n++;
  } catch (error) {
    // A commit whose acknowledgement was lost may have happened: the retry then finds the row.
    // It was never acknowledged, so it is not in ACK_FILE; the next number goes on.
    if ((error as { code?: string }).code === '23505') {
      n++;
      continue;
    }
    // Not acknowledged: the same number is tried again, on the other node when there are two.
    errors++;
    await client?.end().catch(() => undefined);
    client = undefined;
    current = (current + 1) % hosts.length;
    await delay(5);
  }
}
await client?.end().catch(() => undefined);
process.stdout.write(JSON.stringify({ acked, maxPauseMs, errors }) + '\n');
