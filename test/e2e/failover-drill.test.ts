import test from 'ava';
import { setTimeout as delay } from 'node:timers/promises';
import { chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { address, eventually, postmasterPid, version, type Node } from '../helpers/demo.js';
import { clearHold, writeHold } from '../../installers/monitor/hold.js';
import { userIds } from '../../src/system/users.js';
import { Drill, other, othersOf, useDrill } from '../helpers/drill.js';

/**
 * Automatic failover drills on a real demo pair (asynchronous replication, the monitors and
 * the witness on), every process inside a lab network namespace of the test's own where
 * nftables cuts hosts apart (test/helpers/lab.ts). A numbered-row writer goes through the
 * balancer all along. Each case leaves the pair healthy again (restore-master where a
 * failover happened), and the next one starts from whichever node is primary then.
 *
 * The timings are the defaults (look every 300 ms, 250 ms per look, fence after 0.8 s,
 * failover after 2.5 s); how fast a failover is, is `npm run bench:failover`'s to measure.
 */

const drill = new Drill({ prefix: 't_fo', port: 5640 });
const { env } = drill;

useDrill(test, drill);

const pair = async (): Promise<{ primary: Node; standby: Node }> => {
  const primary = await drill.primary();
  return { primary, standby: other(primary) };
};

test.serial('kill -9 of the primary: the standby promotes by itself, writes through the balancer resume, the event script hears Failover, restore-master rejoins the old one', async (t) => {
  t.timeout(3 * 60_000);
  const { primary, standby } = await pair();
  drill.startWriter('kill');
  t.true(await drill.writing('kill'), 'the writer writes through the balancer');
  const killedAt = Date.now();
  process.kill(postmasterPid(env.dataDir(primary)), 'SIGKILL');
  t.true(await eventually(async () => (await drill.role(standby)) === 'primary', 30_000), 'the standby promoted itself');
  t.true(await eventually(async () => drill.acks('kill').some(([, at]) => at > killedAt + 1000), 30_000), 'a write through the balancer is acknowledged again');
  const { acked } = await drill.stopWriter('kill');
  // Nothing the new primary acknowledges comes before its promote; acknowledgements of the old
  // one may still arrive in the milliseconds after the kill.
  const promotedAt = drill.promotedAt(standby)!;
  const first = acked.find(([, at]) => at >= promotedAt)!;
  const lost = await drill.missing(standby, acked);
  t.log(`kill -9 to the promote: ${((promotedAt - killedAt) / 1000).toFixed(2)} s, to the first write acknowledged through the balancer: ${((first[1] - killedAt) / 1000).toFixed(2)} s; acknowledged rows the new primary lacks (asynchronous): ${lost.length}`);
  t.true(lost.every(([, at]) => at < promotedAt), `only rows acknowledged before the promote (by the old primary) may be missing: ${JSON.stringify(lost.slice(0, 5))}`);
  t.true(await eventually(async () => drill.events().includes(`Failover ${address[standby]} ${address[primary]}`), 15_000), `events: ${drill.events().join(' | ')}`);
  t.regex(drill.monitorLog(standby), /automatic failover: 127\.0\.0\.1[12] not seen for \d+\.\d s .*the witness does not see the primary either/);
  const bytes = await drill.discardedBytes(primary);
  t.log(`the old primary holds ${bytes} bytes of WAL past the fork (commits the standby never got; restore-master --dry-run)`);
  const status = await env.run(standby, ['status']);
  t.regex(status.stdout, /last change +promoted .*AUTOMATIC FAILOVER: 127\.0\.0\.1[12] not seen/, 'the history says the promote was automatic, and why');
  t.regex(status.stdout, /event +\S+ Failover 127\.0\.0\.1[12] 127\.0\.0\.1[12]; script exit 0/, 'status shows the event and what its script did');
  const back = await drill.restore(primary);
  t.is(back.exitCode, 0, back.stderr.slice(-3000));
  t.true(back.streaming, 'the old primary streams from the new one');
});

test.serial('the primary is cut off from everyone: it fences itself before the standby is promoted; no write on it is acknowledged after the promote', async (t) => {
  t.timeout(3 * 60_000);
  const { primary, standby } = await pair();
  drill.startWriter('through');
  // A client on the old primary's own host (its Unix socket): the cut does not stop it, the fence must.
  drill.startWriter('direct', primary);
  t.true(await drill.writing('through'));
  t.true(await drill.writing('direct'));
  const cutAt = Date.now();
  await drill.lab.isolate(address[primary], othersOf(address[primary]));
  t.true(await eventually(async () => (await drill.role(standby)) === 'primary', 30_000), 'the standby promoted itself');
  t.true(await eventually(async () => (await drill.role(primary)) === 'standby', 30_000), 'the old primary is a (fenced) standby');
  t.true(await eventually(async () => drill.acks('through').some(([, at]) => at > cutAt + 1000), 30_000), 'writes through the balancer resume on the new primary');
  const promotedAt = drill.promotedAt(standby)!;
  const direct = await drill.stopWriter('direct');
  const lastDirect = Math.max(...direct.acked.map(([, at]) => at));
  t.log(`cut at 0; last write acknowledged by the old primary at ${((lastDirect - cutAt) / 1000).toFixed(2)} s; the promote at ${((promotedAt - cutAt) / 1000).toFixed(2)} s`);
  t.true(lastDirect < promotedAt, 'the old primary acknowledged nothing after the promote');
  t.regex(drill.monitorLog(primary), /FENCED: neither the standby nor the witness seen for 0\.8 s/);
  t.true(drill.events().some((e) => e.startsWith(`RaiseAlarm fenced ${address[primary]} fenced itself`)), drill.events().join(' | '));
  await drill.lab.heal();
  await delay(2000);
  t.is(await drill.role(primary), 'standby', 'healed, the fenced node stays out: no second primary');
  const through = await drill.stopWriter('through');
  const lost = await drill.missing(standby, through.acked);
  t.true(lost.every(([, at]) => at < promotedAt), `rows acknowledged through the balancer after the promote are all there: ${JSON.stringify(lost.slice(0, 5))}`);
  const back = await drill.restore(primary);
  t.is(back.exitCode, 0, back.stderr.slice(-3000));
  t.true(back.streaming);
});

test.serial('the standby is cut off from the primary only: the witness still sees the primary, so no failover and no fence; writes go on', async (t) => {
  t.timeout(2 * 60_000);
  const { primary, standby } = await pair();
  drill.startWriter('partial');
  t.true(await drill.writing('partial'));
  await drill.lab.cut(address[standby], address[primary]);
  await delay(6500); // past the failover window, and past the 5 s after which a standby that does not stream is an alarm
  t.true(await drill.writing('partial', 20, 5000), 'writes through the balancer go on during the cut');
  t.is(await drill.role(standby), 'standby', 'not promoted');
  t.is(await drill.role(primary), 'primary', 'not fenced');
  t.regex(drill.monitorLog(standby), /but no failover: the witness sees the primary/);
  t.true(await eventually(async () => drill.events().some((e) => e.startsWith(`RaiseAlarm replication the standby ${address[standby]} has not seen ${address[primary]} for 5 s`)), 5000), drill.events().join(' | '));
  await drill.lab.heal();
  t.true(await eventually(() => drill.streaming(standby), 30_000), 'streaming again once healed');
  t.true(await drill.caughtUp(standby), 'and caught up');
  t.true(await eventually(async () => drill.events().includes(`ClearAlarm the standby ${address[standby]} streams from ${address[primary]} again`), 10_000), drill.events().join(' | '));
  await drill.stopWriter('partial');
});

test.serial('the standby is cut off from everyone: it does not promote (the witness does not answer it), the primary raises StandbyOffline and ClearAlarm when it is back', async (t) => {
  t.timeout(2 * 60_000);
  const { primary, standby } = await pair();
  drill.startWriter('lonely');
  t.true(await drill.writing('lonely'));
  await drill.lab.isolate(address[standby], othersOf(address[standby]));
  await delay(6000);
  t.true(await drill.writing('lonely', 20, 5000), 'the primary takes writes: it still sees the witness');
  t.is(await drill.role(standby), 'standby', 'not promoted');
  t.is(await drill.role(primary), 'primary', 'not fenced');
  t.regex(drill.monitorLog(standby), /but no failover: the witness does not answer either/);
  t.true(await eventually(async () => drill.events().includes(`StandbyOffline ${address[standby]} ${address[primary]}`), 5000), drill.events().join(' | '));
  await drill.lab.heal();
  t.true(await eventually(() => drill.streaming(standby), 30_000), 'streaming again once healed');
  t.true(await drill.caughtUp(standby), 'and caught up');
  t.true(await eventually(async () => drill.events().includes(`ClearAlarm the standby ${address[standby]} is back`), 10_000), drill.events().join(' | '));
  await drill.stopWriter('lonely');
});

test.serial('the primary host stalls for 1.2 s (every process of it stopped, then continued): no failover, no fence', async (t) => {
  t.timeout(2 * 60_000);
  const { primary, standby } = await pair();
  const failovers = drill.events().filter((e) => e.startsWith('Failover')).length;
  const pids = await drill.stallHost(primary, 1200);
  t.true(pids.length >= 4, `PostgreSQL, its children, the agent and the monitor: ${pids.join(' ')}`);
  await delay(5000);
  t.is(await drill.role(primary), 'primary', 'still the primary');
  t.is(await drill.role(standby), 'standby', 'not promoted');
  t.is(drill.events().filter((e) => e.startsWith('Failover')).length, failovers, 'no Failover event');
  t.true(await eventually(() => drill.streaming(standby), 20_000));
  t.true(await drill.caughtUp(standby), 'caught up');
});

test.serial('the whole primary host dies (PostgreSQL, its agent, its monitor and their supervisors killed at once): the standby takes over; the host back, restore-master rejoins it', async (t) => {
  t.timeout(3 * 60_000);
  const { primary, standby } = await pair();
  t.true(await drill.caughtUp(standby), 'the standby has caught up before the drill');
  drill.startWriter('host');
  t.true(await drill.writing('host'));
  const killedAt = Date.now();
  const lag = (await env.psql(primary, 'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication')).out;
  const pids = drill.killHost(primary);
  t.true(pids.length >= 6, `every process of the host: ${pids.join(' ')}`);
  t.true(await eventually(async () => (await drill.role(standby)) === 'primary', 30_000), 'the standby promoted itself');
  const promotedAt = drill.promotedAt(standby)!;
  t.true(await eventually(async () => drill.acks('host').some(([, at]) => at > promotedAt), 30_000), 'writes through the balancer resume');
  const { acked } = await drill.stopWriter('host');
  const lost = await drill.missing(standby, acked);
  t.log(`the standby replayed to ${lag} bytes behind at the kill; host killed to the promote: ${((promotedAt - killedAt) / 1000).toFixed(2)} s; acknowledged rows lost (asynchronous): ${lost.length}`);
  t.true(lost.every(([, at]) => at < promotedAt), `only rows the old primary acknowledged may be missing: ${JSON.stringify(lost.slice(0, 3))}`);
  t.regex(drill.monitorLog(standby), /automatic failover: .*its agent does not answer/);
  t.true(drill.events().includes(`Failover ${address[standby]} ${address[primary]}`), drill.events().join(' | '));
  await drill.startServices(primary);
  const back = await drill.restore(primary);
  t.is(back.exitCode, 0, back.stderr.slice(-3000));
  t.true(back.streaming);
});

test.serial("a switchover is refused while the balancer's witness does not see the master, and nothing changes", async (t) => {
  const { primary } = await pair();
  const witness = `ha-install-witness-${env.names.prefix}`;
  t.is((await env.cli(['service', 'stop', witness, '--yes'])).exitCode, 0);
  try {
    const refused = await env.run(primary, ['switchover', '--yes']);
    t.is(refused.exitCode, 2, refused.stderr.slice(-2000));
    t.regex(refused.stderr + refused.stdout, /its witness 127\.0\.0\.10:\d+ does not answer/);
    t.is(await drill.role(primary), 'primary', 'nothing changed');
  } finally {
    t.is((await env.cli(['service', 'start', witness, '--yes'])).exitCode, 0);
  }
});

test.serial('a switchover with the monitors on: the roles swap, no automatic failover or fence on the way, and the event script hears ManualSwitch', async (t) => {
  t.timeout(2 * 60_000);
  const { primary, standby } = await pair();
  await delay(1000); // the witness, just started again, has looked
  const before = drill.events().length;
  drill.startWriter('switch');
  t.true(await drill.writing('switch'));
  const result = await env.run(primary, ['switchover', '--yes']);
  t.is(result.exitCode, 0, result.stderr.slice(-3000));
  t.true(await drill.writing('switch', 20), 'writes go on through the balancer on the new primary');
  const { acked, summary } = await drill.stopWriter('switch');
  t.log(`switchover under a client through the balancer: the longest time without an acknowledged write ${summary.maxPauseMs} ms`);
  t.deepEqual(await drill.missing(standby, acked), [], 'no acknowledged row lost');
  await delay(4000); // a monitor that took the switch for a failure would act within this
  t.is(await drill.role(standby), 'primary');
  t.is(await drill.role(primary), 'standby');
  t.true(await drill.streaming(primary), 'the old primary streams, not fenced');
  const events = drill.events().slice(before);
  t.true(events.includes(`ManualSwitch ${address[standby]} ${address[primary]}`), events.join(' | '));
  t.false(events.some((e) => /^(Failover|RaiseAlarm fenced)/.test(e)), events.join(' | '));
});

test.serial('two standbys and no primary (as a switchover stopped half-way leaves them): exactly one promotes, the other follows it', async (t) => {
  t.timeout(2 * 60_000);
  const { primary, standby } = await pair();
  const refs = (['master', 'slave'] as const).map((node) => ({ version, name: env.cluster(node) }));
  // Held while the primary becomes a standby by hand, as a switchover holds them.
  for (const ref of refs) writeHold(ref, 'test: two standbys in the making');
  const failovers = drill.events().filter((e) => e.startsWith('Failover')).length;
  try {
    const ctl = async (op: string) => t.is((await drill.lab.run(['pg_ctlcluster', String(version), env.cluster(primary), op], { cwd: '/' })).exitCode, 0, `pg_ctlcluster ${op}`);
    await ctl('stop'); // inside the lab, where the node's addresses are
    writeFileSync(join(env.dataDir(primary), 'standby.signal'), '');
    chownSync(join(env.dataDir(primary), 'standby.signal'), userIds('postgres').uid, userIds('postgres').gid);
    await ctl('start');
    t.is(await drill.role(primary), 'standby');
    t.is(await drill.role(standby), 'standby', 'two standbys');
  } finally {
    for (const ref of refs) clearHold(ref);
  }
  t.true(await eventually(async () => [await drill.role('master'), await drill.role('slave')].includes('primary'), 30_000), 'one of them promoted');
  await delay(4000); // the other would have promoted by now if both had decided to
  const roles = [await drill.role('master'), await drill.role('slave')];
  t.deepEqual([...roles].sort(), ['primary', 'standby'], `exactly one primary: ${roles.join(', ')}`);
  t.is(drill.events().filter((e) => e.startsWith('Failover')).length, failovers + 1, 'one Failover event');
  const follower = roles[0] === 'standby' ? 'master' : 'slave';
  t.true(await eventually(() => drill.streaming(follower), 30_000), 'the other streams from it');
});
