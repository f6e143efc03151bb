/**
 * A client that writes numbered rows for as long as it runs, as an application behind a
 * balancer would: it writes to the node that took its last write, and when that fails (the
 * node stopped, or is read-only now) it tries the other. Every commit the server acknowledged
 * is appended to the file named by ACK_FILE at once, so the test can prove none was lost. On
 * SIGTERM it prints {acked, maxPauseMs, errors} as JSON and exits.
 *
 *   RUN=name HOSTS=127.0.0.11,127.0.0.12 PORT=5610 PGUSER=replicator PGPASSWORD=... ACK_FILE=... node --import tsx write-client.ts
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';

const hosts = (process.env.HOSTS ?? '').split(',');
const ackFile = process.env.ACK_FILE!;
let current = 0;
let client: pg.Client | undefined;
let [n, acked, errors, maxPauseMs] = [1, 0, 0, 0];
let lastAck = Date.now();
let stopping = false;

process.on('SIGTERM', () => {
  stopping = true;
});

async function connect(host: string): Promise<pg.Client> {
  const c = new pg.Client({ host, port: Number(process.env.PORT), user: process.env.PGUSER, password: process.env.PGPASSWORD, database: 'postgres', connectionTimeoutMillis: 1000, query_timeout: 2000 });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

while (!stopping) {
  try {
    client ??= await connect(hosts[current]!);
    await client.query('INSERT INTO sw_rows (run, n) VALUES ($1, $2)', [process.env.RUN, n]);
    appendFileSync(ackFile, `${n}\n`);
    const now = Date.now();
    maxPauseMs = Math.max(maxPauseMs, now - lastAck);
    lastAck = now;
    acked++;
    n++;
  } catch {
    // Not acknowledged: the same number is tried again on the other node.
    errors++;
    await client?.end().catch(() => undefined);
    client = undefined;
    current = (current + 1) % hosts.length;
    await delay(5);
  }
}
await client?.end().catch(() => undefined);
process.stdout.write(JSON.stringify({ acked, maxPauseMs, errors }) + '\n');
