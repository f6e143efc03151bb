import test from 'ava';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crash, DemoEnv, eventually, pgCtlCluster, version, type Node } from '../helpers/demo.js';
import { checkRows } from '../helpers/json-events.js';
import { useDemo } from '../helpers/demo-hooks.js';

/**
 * The recovery story on a real demo pair, through the binary as an admin runs it: the master
 * dies with commits the slave never got, the slave is promoted and takes writes, the old
 * master started again with pg_ctlcluster refuses every write, restore-master rewinds it and
 * it streams; then the same back the other way, so state, slots and settings are proven
 * symmetric; then a forced clone; then two primaries made on purpose (promote --force) and
 * resolved by restore-master. The tests run in order on one pair.
 */

const env = new DemoEnv({ prefix: 't_rt', port: 5462 });
const other = (node: Node): Node => (node === 'master' ? 'slave' : 'master');
const addressOf = (node: Node) => (node === 'master' ? '127.0.0.11' : '127.0.0.12');
const count = async (node: Node, where = 'true') => (await env.psql(node, `SELECT count(*) FROM ledger WHERE ${where}`)).out;
const role = async (node: Node) => (await env.psql(node, 'SELECT CASE WHEN pg_is_in_recovery() THEN \'standby\' ELSE \'primary\' END')).out;
const stateOf = (node: Node) => JSON.parse(readFileSync(join(env.nodeDir(node), 'state.json'), 'utf8')) as { history: Array<{ event: string; node: string }> };

/**
 * The primary `dead` dies with `rows` commits its standby never received: the standby is
 * stopped first, so they exist only on `dead`; then `dead` is killed (kill -9) and its standby
 * started again (as a standby: it cannot stream from a dead master).
 */
async function dieAhead(dead: Node, rows: number): Promise<void> {
  await pgCtlCluster(env, other(dead), 'stop');
  await env.psql(dead, `INSERT INTO ledger (written_on) SELECT 'only-${dead}' FROM generate_series(1, ${rows})`);
  await crash(env, dead);
  await pgCtlCluster(env, other(dead), 'start');
}

useDemo(test, env, {
  up: async () => {
    await env.psql('master', 'CREATE TABLE ledger (id bigserial PRIMARY KEY, written_on text NOT NULL, at timestamptz DEFAULT now())');
    await env.psql('master', `INSERT INTO ledger (written_on) SELECT 'both' FROM generate_series(1, 100)`);
    if (!(await eventually(async () => (await count('slave', 'true').catch(() => '0')) === '100'))) throw new Error('the slave never got the first rows');
  },
});

for (const [round, dead] of [
  [1, 'master'],
  [2, 'slave'],
] as const) {
  const alive = other(dead);
  test.serial(`round ${round}: ${addressOf(dead)} dies with commits of its own, ${addressOf(alive)} is promoted and takes writes`, async (t) => {
    await dieAhead(dead, 500);
    const promoted = await env.run(alive, ['promote', '--yes']);
    t.is(promoted.exitCode, 0, promoted.stderr.slice(-3000));
    t.regex(promoted.stderr, new RegExp(`restore-master --master-ip ${addressOf(alive).replaceAll('.', '\\.')}`), 'it ends with the command for the old master');
    t.is(await role(alive), 'primary');
    await env.psql(alive, `INSERT INTO ledger (written_on) SELECT 'new-${alive}' FROM generate_series(1, 50)`);
    t.is(await count(alive, `written_on = 'only-${dead}'`), '0', 'the commits only the dead node had are not here');
    t.like(stateOf(alive).history.at(-1), { event: 'promoted', node: addressOf(alive) });
  });

  test.serial(`round ${round}: the old master ${addressOf(dead)} started with pg_ctlcluster takes no write, and says why`, async (t) => {
    await pgCtlCluster(env, dead, 'start');
    t.is(await role(dead), 'standby', 'the start guard started it as a standby');
    for (const sql of [`INSERT INTO ledger (written_on) VALUES ('split')`, `SET default_transaction_read_only = off; INSERT INTO ledger (written_on) VALUES ('split')`]) {
      const write = await env.psql(dead, sql, { reject: false });
      t.not(write.exitCode, 0, `a write succeeded on the old master: ${sql}`);
      t.regex(write.err, /read-only transaction/);
    }
    const log = readFileSync(`/var/log/postgresql/postgresql-${version}-${env.cluster(dead)}.log`, 'utf8');
    t.regex(log, new RegExp(`ha-install guard \\(${version}/${env.cluster(dead)}\\): FENCED.*${addressOf(alive).replaceAll('.', '\\.')}:5462 is the primary now`));
    t.regex(log, /to bring this node back as the standby of .*restore-master --master-ip/);
    const status = await env.cli(['status']);
    t.is(status.exitCode, 1, status.stdout);
    t.regex(status.stdout, new RegExp(`demo ${addressOf(dead).replaceAll('.', '\\.')} .*\\n\\s+role now\\s+standby, FENCED \\(read-only\\)`));
    t.regex(status.stdout, /next step\s+.*restore-master --master-ip/);
  });

  test.serial(`round ${round}: restore-master --dry-run shows the fork and the commits it will discard, and changes nothing`, async (t) => {
    const data = env.dataDir(dead);
    const before = readdirSync(data).join(',') + readFileSync(`${data}/standby.signal`, 'utf8');
    const dry = await env.run(dead, ['restore-master', '--master-ip', addressOf(alive), '--dry-run', '--json']);
    t.is(dry.exitCode, 0, dry.stderr.slice(-3000));
    const rows = checkRows(dry.stdout, 'Restore preflight');
    t.regex(rows.get('timelines')?.measured ?? '', new RegExp(`^this node: timeline \\d+, WAL to [0-9A-F]+/[0-9A-F]+; ${addressOf(alive).replaceAll('.', '\\.')} left timeline \\d+ at [0-9A-F]+/[0-9A-F]+`));
    const discarded = rows.get('discarded here');
    t.regex(discarded?.measured ?? '', /exist ONLY on this node and will be discarded/);
    t.true(Number(/^(\d+) bytes/.exec(discarded?.measured ?? '')?.[1]) > 500 * 40, `500 commits of its own are more WAL than ${discarded?.measured}`);
    t.is(discarded?.verdict, 'warn');
    t.is(rows.get('rewind')?.measured, 'possible');
    t.regex(dry.stdout, /pg_rewind --target-pgdata=/);
    t.is(readdirSync(data).join(',') + readFileSync(`${data}/standby.signal`, 'utf8'), before);
    t.is(await role(dead), 'standby');
  });

  test.serial(`round ${round}: restore-master rewinds ${addressOf(dead)}: the new master's rows arrive, new writes stream, its own are gone`, async (t) => {
    const restored = await env.run(dead, ['restore-master', '--master-ip', addressOf(alive), '--yes']);
    t.is(restored.exitCode, 0, restored.stderr.slice(-3000));
    t.regex(restored.stderr, /\[\d+\/\d+\] Rewind this node onto .* \.\.\. done/);
    t.notRegex(restored.stderr, /\[\d+\/\d+\] Clone the master/, 'a rewind, not a clone');
    t.false(existsSync(join(env.nodeDir(dead), 'rewind-in-progress')));
    await env.psql(alive, `INSERT INTO ledger (written_on) VALUES ('after-restore-${round}')`);
    t.true(await eventually(async () => (await count(dead, `written_on = 'after-restore-${round}'`)) === '1'), 'a new write streams to the restored node');
    t.is(await count(dead), await count(alive));
    t.is(await count(dead, `written_on = 'only-${dead}'`), '0', 'the discarded commits are gone, as the dry run said');
    t.is(await role(dead), 'standby');
    t.true(await eventually(async () => (await env.cli(['status', '--json'])).exitCode === 0, 15_000), 'the pair and its balancer are healthy');
    t.like(stateOf(dead).history.at(-1), { event: 'restored', node: addressOf(dead) });
  });
}

test.serial('restore-master --clone: a full clone, the old data directory moved aside, never deleted', async (t) => {
  // After two rounds the master (127.0.0.11) is the primary again and the slave its standby.
  t.is(await role('master'), 'primary');
  await dieAhead('master', 10);
  t.is((await env.run('slave', ['promote', '--yes'])).exitCode, 0);
  const parent = `/var/lib/postgresql/${version}`;
  const asideBefore = readdirSync(parent).filter((e) => e.startsWith(`${env.cluster('master')}.ha-install-`));
  const restored = await env.run('master', ['restore-master', '--master-ip', '127.0.0.12', '--clone', '--yes']);
  t.is(restored.exitCode, 0, restored.stderr.slice(-3000));
  t.regex(restored.stderr, /\[\d+\/\d+\] Clone the master 127\.0\.0\.12 with pg_basebackup \.\.\. done/);
  t.notRegex(restored.stderr, /\[\d+\/\d+\] Rewind this node/);
  const aside = readdirSync(parent).filter((e) => e.startsWith(`${env.cluster('master')}.ha-install-`) && !asideBefore.includes(e));
  t.is(aside.length, 1, 'the old data directory was moved aside');
  t.true(existsSync(join(parent, aside[0]!, 'PG_VERSION')), 'and it is whole');
  await env.psql('slave', `INSERT INTO ledger (written_on) VALUES ('after-clone')`);
  t.true(await eventually(async () => (await count('master', `written_on = 'after-clone'`)) === '1'));
});

test.serial('two primaries made on purpose with promote --force are resolved by restore-master on the stale one', async (t) => {
  // The slave (127.0.0.12) is the primary now; the master streams from it. Force the master up too.
  const forced = await env.run('master', ['promote', '--yes', '--force', '--reason', 'test: split brain on purpose']);
  t.is(forced.exitCode, 0, forced.stderr.slice(-3000));
  const status = await env.cli(['status']);
  t.is(status.exitCode, 1);
  t.regex(status.stdout, /TWO PRIMARIES: 127\.0\.0\.12 is a primary too/);
  t.regex((await env.psql('master', `SELECT detail FROM ha_install.events WHERE event = 'promoted' ORDER BY id DESC LIMIT 1`)).out, /FORCED: test: split brain on purpose \(by /);
  // Both took a write; the one promoted last (the master, on the newer timeline) is kept.
  await env.psql('slave', `INSERT INTO ledger (written_on) VALUES ('lost-on-12')`);
  await env.psql('master', `INSERT INTO ledger (written_on) VALUES ('kept-on-11')`);
  const refused = await env.run('master', ['restore-master', '--master-ip', '127.0.0.12', '--yes']);
  t.is(refused.exitCode, 2, 'the newer primary is not the one to rewind');
  t.regex(refused.stderr, /timelines: 127\.0\.0\.12 on timeline \d+, this node on \d+ \(and a primary\)/);
  const restored = await env.run('slave', ['restore-master', '--master-ip', '127.0.0.11', '--yes']);
  t.is(restored.exitCode, 0, restored.stderr.slice(-3000));
  t.true(await eventually(async () => (await count('slave', `written_on = 'kept-on-11'`)) === '1'));
  t.is(await count('slave', `written_on = 'lost-on-12'`), '0');
  // The balancer takes the rewound node out after its next checks (fall 3, fastinter 250 ms).
  t.true(await eventually(async () => (await env.cli(['status'])).exitCode === 0, 15_000), 'healthy again');
});
