import test from 'ava';
import { eventually, postmasterPid } from '../helpers/demo.js';
import { Drill, other, useDrill } from '../helpers/drill.js';

/**
 * Synchronous replication (demo --synchronous) under automatic failover: kill -9 of the
 * primary under a client writing through the balancer loses no acknowledged row, both ways
 * (restore-master makes the pair synchronous again, so the second failover is as safe as the
 * first). Inside a lab namespace of the test's own, as the drills.
 */

const drill = new Drill({ prefix: 't_fs', port: 5641, synchronous: true });
const { env } = drill;

useDrill(test, drill);

for (const round of [1, 2]) {
  test.serial(`round ${round}: kill -9 of the synchronous primary: the standby promotes by itself and every acknowledged row is there`, async (t) => {
    t.timeout(3 * 60_000);
    const primary = await drill.primary();
    const standby = other(primary);
    const sync = await env.psql(primary, "SELECT sync_state FROM pg_stat_replication LIMIT 1");
    t.is(sync.out, 'sync', 'the standby is synchronous before the kill');
    const name = `sync-${round}`;
    drill.startWriter(name);
    t.true(await drill.writing(name, 50));
    process.kill(postmasterPid(env.dataDir(primary)), 'SIGKILL');
    t.true(await eventually(async () => (await drill.role(standby)) === 'primary', 30_000), 'promoted');
    const promotedAt = drill.promotedAt(standby)!;
    t.true(await eventually(async () => drill.acks(name).some(([, at]) => at > promotedAt), 30_000), 'writes go on, through the balancer, on the new primary (synchronous replication off until it has a standby)');
    const { acked } = await drill.stopWriter(name);
    const lost = await drill.missing(standby, acked);
    t.log(`round ${round}: ${acked.length} acknowledged, ${lost.length} lost`);
    t.deepEqual(lost, [], 'no acknowledged row lost');
    const back = await drill.restore(primary);
    t.is(back.exitCode, 0, back.stderr.slice(-3000));
    t.true(back.streaming);
    t.true(await eventually(async () => (await env.psql(standby, 'SELECT sync_state FROM pg_stat_replication')).out === 'sync', 20_000), 'restore-master made the pair synchronous again');
  });
}
