import test from 'ava';
import { checkRows } from '../helpers/json-events.js';
import { execa } from 'execa';
import { planMaster } from '../../installers/postgresql/master.js';
import { ROLE_MARKER } from '../../installers/postgresql/names.js';
import { sqlValue } from '../../installers/postgresql/sql.js';
import { answersFile, assertRefused, machine, masterYaml, measured, pair, password, refusedBothWays, workspace } from '../helpers/hostile.js';
import { apply, context, installedVersion, pairAnswers, testLogger } from '../helpers/postgresql.js';

/**
 * The replication role must be ha-install's alone: reserved and predefined names are refused
 * when the answers are checked; an existing superuser or a role ha-install did not create is
 * refused by the master preflight (a real cluster, ha_test_role on port 5443) and, should the
 * cluster change in between, by the role step itself before it touches the role.
 */
const version = installedVersion();
const ref = { version, name: 'ha_test_role' };
const port = 5443;
const env = { HA_BACKUP_PASSWORD: password };
const log = testLogger('role');
const facts = machine({ postgresqlVersions: [version] });
const yaml = (user: string) => masterYaml(`postgresql:\n  version: ${version}\n  cluster: ${ref.name}\n  port: ${port}\n  replication-user: ${JSON.stringify(user)}\n  backup-password: env:HA_BACKUP_PASSWORD\n`);
const sql = (text: string) => sqlValue(ref, text, log);

test.before(async () => {
  await execa('pg_dropcluster', ['--stop', String(version), ref.name], { reject: false }); // a crashed earlier run's
  await execa('pg_createcluster', [String(version), ref.name, '--port', String(port), '--start']);
  await sql(`CREATE ROLE ha_test_super SUPERUSER LOGIN; CREATE ROLE ha_test_app LOGIN PASSWORD 'app-secret';
             CREATE ROLE ha_test_ours LOGIN REPLICATION; COMMENT ON ROLE ha_test_ours IS '${ROLE_MARKER}'`);
});

test.after.always(async () => {
  await execa('pg_dropcluster', ['--stop', String(version), ref.name], { reject: false });
});

test('reserved and predefined names are refused by answers validate and a dry run alike', async (t) => {
  for (const user of ['postgres', 'public', 'none', 'current_user', 'all', 'replication', 'pg_monitor', 'pg_read_all_data', 'Postgres']) {
    await refusedBothWays(t, answersFile(yaml(user)), /postgresql\.replication-user: .*(superuser|reserved|pg_ namespace|not a plain role name)/, user, env);
  }
});

test('an existing superuser or a role ha-install did not create: the master preflight refuses it and says how to choose another', async (t) => {
  for (const [user, measuredText] of [
    ['ha_test_super', /ha_test_super exists and is a superuser/],
    ['ha_test_app', /ha_test_app exists and was not created by ha-install/],
  ] as const) {
    const w = workspace([`/etc/postgresql/${version}/${ref.name}`]);
    const result = await measured(['--answers', answersFile(yaml(user)), '--dry-run', '--facts', facts, ...w.common], { netns: pair, env });
    assertRefused(t, result, /postgresql\.replication-user: replication role: /, user);
    t.regex(result.stderr, measuredText);
    t.regex(result.stderr, /choose another name with postgresql\.replication-user/);
    t.true(w.unchanged());
    // answers validate cannot know the cluster: the name itself is fine.
    t.is((await measured(['answers', 'validate', answersFile(yaml(user))], { env })).exitCode, 0);
  }
  const ours = await measured(['--answers', answersFile(yaml('ha_test_ours')), '--dry-run', '--json', '--facts', facts, ...workspace().common], { netns: pair, env });
  t.is(ours.exitCode, 0, ours.stderr);
  t.like(checkRows(ours.stdout, 'Replication preflight').get('replication role'), { measured: 'ha_test_ours, created by ha-install', verdict: 'ok' });
});

test('the role step refuses a foreign role itself, leaving its password alone; a role it creates is marked as its own', async (t) => {
  const ctx = async (user: string) => context(pairAnswers({ pgVersion: version, pgCluster: ref.name, pgPort: port, replicationUser: user, backupPassword: { source: 'plain', value: password } }), log);
  const roleStep = async (user: string) => (await planMaster(await ctx(user))).filter((a) => a.id === 'postgresql.role');
  const before = await sql(`SELECT rolpassword FROM pg_authid WHERE rolname = 'ha_test_app'`);
  const error = await t.throwsAsync(async () => apply('foreign role', await roleStep('ha_test_app'), log));
  t.regex(error?.message ?? '', /the role ha_test_app exists and was not created by ha-install/);
  t.is(await sql(`SELECT rolpassword FROM pg_authid WHERE rolname = 'ha_test_app'`), before);
  await apply('new role', await roleStep('ha_test_fresh'), log);
  t.is(await sql(`SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = 'ha_test_fresh'`), ROLE_MARKER);
  await apply('new role again', await roleStep('ha_test_fresh'), log);
  t.is(await sql(`SELECT rolsuper::text FROM pg_roles WHERE rolname = 'ha_test_fresh'`), 'false');
});
