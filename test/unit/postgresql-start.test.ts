import test from 'ava';
import type { Cluster } from '../../installers/postgresql/cluster.js';
import { directStartPlan, type StartHost } from '../../installers/postgresql/start.js';

// A fake file system and passwd (the start plan only reads): the real start is proven on real
// clusters by the e2e tests (test/e2e/postgresql-pair.test.ts, demo.test.ts).

const cluster: Cluster = {
  version: 15,
  name: 'main',
  exists: true,
  confDir: '/etc/postgresql/15/main',
  dataDir: '/var/lib/postgresql/15/main',
  port: 5432,
  socketDir: '/var/run/postgresql',
  running: false,
  inRecovery: false,
  start: {
    logFile: '/var/log/postgresql/postgresql-15-main.log',
    ownerUid: 101,
    mode: 'auto',
    config: { hba_file: '/etc/postgresql/15/main/pg_hba.conf', ident_file: '/etc/postgresql/15/main/pg_ident.conf', unix_socket_directories: '/var/run/postgresql', lc_messages: 'C.UTF-8' },
  },
};

const dir = { isDirectory: true, uid: 101, gid: 104, mode: 0o42775 };
const file = { isDirectory: false, uid: 101, gid: 4, mode: 0o100640 };

function host(files: Record<string, string> = {}, stats: Record<string, typeof dir | undefined> = {}): StartHost {
  const base: Record<string, typeof dir | undefined> = { '/var/run/postgresql': dir, '/var/log/postgresql/postgresql-15-main.log': file, ...stats };
  return {
    read: (path) => files[path] ?? (path.endsWith('/environment') ? '# environment variables for the postgres process\n' : path.endsWith('/pg_ctl.conf') ? "pg_ctl_options = ''\n" : undefined),
    stat: (path) => base[path],
    user: (uid) => (uid === 101 ? { name: 'postgres', gid: 104 } : undefined),
  };
}

test('a Debian cluster starts through pg_ctl with what pg_ctlcluster would pass, in a cleared environment', (t) => {
  const plan = directStartPlan(cluster, host());
  if (!('argv' in plan)) return t.fail(plan.fallback);
  t.deepEqual(plan.argv, [
    'runuser', '-u', 'postgres', '--',
    'env', '-i', 'LANG=C.UTF-8', 'PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj',
    '/usr/lib/postgresql/15/bin/pg_ctl', 'start', '-W',
    '-D', '/var/lib/postgresql/15/main', '-l', '/var/log/postgresql/postgresql-15-main.log',
    '-o', '-c config_file="/etc/postgresql/15/main/postgresql.conf" -c external_pid_file="/var/run/postgresql/15-main.pid"',
  ]);
});

test('settings postgresql.conf lacks are passed as pg_ctlcluster passes them; a set external_pid_file is left alone', (t) => {
  const bare = { ...cluster, start: { ...cluster.start!, config: { external_pid_file: '/run/x.pid' } } };
  const plan = directStartPlan(bare, host());
  if (!('argv' in plan)) return t.fail(plan.fallback);
  t.is(
    plan.argv.at(-1),
    '-c unix_socket_directories="/var/run/postgresql" -c config_file="/etc/postgresql/15/main/postgresql.conf" -c hba_file="/etc/postgresql/15/main/pg_hba.conf" -c ident_file="/etc/postgresql/15/main/pg_ident.conf"',
  );
  t.false(plan.argv.some((a) => a.startsWith('LANG=')), 'no lc_messages, no LANG');
});

test('no external pid file when the cluster owner cannot write /var/run/postgresql', (t) => {
  const plan = directStartPlan(cluster, host({}, { '/var/run/postgresql': { ...dir, uid: 0, gid: 0, mode: 0o40755 } }));
  if (!('argv' in plan)) return t.fail(plan.fallback);
  t.false(plan.argv.at(-1)!.includes('external_pid_file'));
});

test('whatever only pg_ctlcluster honours sends the start back to it, saying why', (t) => {
  const cases: [string, Cluster, StartHost, RegExp][] = [
    ['disabled', { ...cluster, start: { ...cluster.start!, mode: 'disabled' } }, host(), /start\.conf says disabled/],
    ['environment', cluster, host({ '/etc/postgresql/15/main/environment': 'TZ = UTC\n' }), /environment sets variables/],
    ['pg_ctl.conf', cluster, host({ '/etc/postgresql/15/main/pg_ctl.conf': "pg_ctl_options = '-c work_mem=64MB'\n" }), /pg_ctl_options/],
    ['stale pid', cluster, host({}, { '/var/lib/postgresql/15/main/postmaster.pid': file }), /postmaster\.pid/],
    ['no log file', cluster, host({}, { '/var/log/postgresql/postgresql-15-main.log': undefined }), /log file/],
    ['no run dir', cluster, host({}, { '/var/run/postgresql': undefined }), /\/var\/run\/postgresql does not exist/],
    ['no socket dir', { ...cluster, socketDir: '/var/run/postgresql/x' }, host(), /socket directory/],
    ['other owner', { ...cluster, start: { ...cluster.start!, ownerUid: 999 } }, host(), /not owned by the postgres user/],
    ['shell characters', { ...cluster, dataDir: '/srv/pg data' }, host(), /characters a shell would read/],
    ['not a cluster', { ...cluster, exists: false }, host(), /pg_lsclusters does not know/],
  ];
  for (const [name, c, h, why] of cases) {
    const plan = directStartPlan(c, h);
    t.true('fallback' in plan && why.test(plan.fallback), `${name}: ${JSON.stringify(plan)}`);
  }
});
