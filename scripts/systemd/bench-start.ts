/**
 * npm run bench:systemd-start [-- --rounds N]
 *
 * How long starting a stopped hot standby takes under systemd, beside ha-install's
 * no-systemd start, measured in the booted Debian 12 of the systemd cases (the same pair:
 * master `main`, standby `standby`). Ways, each N rounds (default 7), medians printed:
 *   unit       what ha-install does under systemd: `systemctl start` (pg_ctlcluster + its settle loop)
 *   direct     what ha-install does without systemd (start.ts): pg_ctl as pg_ctlcluster would
 *   no-block   `systemctl start --no-block`, done when postmaster.pid says standby
 *   notify     `systemctl start` with a drop-in: Type=notify, ExecStart=postgres itself
 * A script, not a test: the figures depend on the machine.
 */
import { build, stop as stopEsbuild } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot } from '../../test/systemd/cases/boot.js';
import { masterInstall } from '../../test/systemd/cases/master.js';
import { slaveInstall } from '../../test/systemd/cases/slave.js';
import { assertUnitRunsCluster } from '../../test/systemd/case.js';
import { caseContext, prepareContainer, say, stopOnSignals } from './bed.js';
import type { Container } from './container.js';

const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt < 0 ? 7 : Math.max(1, Number(process.argv[roundsAt + 1]) || 7);
const STANDBY = 'standby';
const DROP_IN = `/etc/systemd/system/postgresql@15-${STANDBY}.service.d/bench-notify.conf`;
const NOTIFY = `[Service]
Type=notify
User=postgres
Group=postgres
ExecStartPre=+/usr/bin/install -d -m 2775 -o postgres -g postgres /var/run/postgresql/${STANDBY}
ExecStart=
ExecStart=/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/${STANDBY} -c config_file=/etc/postgresql/15/${STANDBY}/postgresql.conf
PIDFile=
Environment=PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj
StandardOutput=append:/var/log/postgresql/postgresql-15-${STANDBY}.log
StandardError=append:/var/log/postgresql/postgresql-15-${STANDBY}.log
`;

interface Round { mode: string; returned: number; ready: number; active: number | null }
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function probe(box: Container, mode: string, label = mode): Promise<Round[]> {
  const r = await box.exec(['node', '/opt/ha-install/start-probe.js', mode, STANDBY, String(rounds)], { timeoutMs: 600_000 });
  if (r.exitCode !== 0) throw new Error(`start-probe ${mode}: exit ${r.exitCode}\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim().split('\n').map((line) => ({ ...(JSON.parse(line) as Round), mode: label }));
}

let box: Container | undefined;
stopOnSignals(() => box);
box = await prepareContainer();
const container = box;
try {
  await container.boot();
  const ctx = caseContext(container, (_what, work) => work(), []);
  for (const c of [boot, masterInstall, slaveInstall]) await c.run(ctx);
  const bundle = join(tmpdir(), `start-probe-${process.pid}.js`);
  await build({ entryPoints: [new URL('start-probe.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle, logLevel: 'warning', banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });
  await container.sh('cat > /opt/ha-install/start-probe.js', readFileSync(bundle, 'utf8'));
  rmSync(bundle);
  await stopEsbuild(); // its service process would keep us alive after the container is gone
  say(`${rounds} rounds each, standby ${STANDBY} (node, PostgreSQL 15, systemd 252 in the container)`);
  const all = [...(await probe(container, 'unit')), ...(await probe(container, 'direct')), ...(await probe(container, 'no-block'))];
  await container.sh(`mkdir -p ${DROP_IN.replace(/\/[^/]+$/, '')} && cat > ${DROP_IN} && systemctl daemon-reload`, NOTIFY);
  all.push(...(await probe(container, 'unit', 'notify')));
  await assertUnitRunsCluster(container, STANDBY); // with the drop-in, systemd tracks the postmaster too
  process.stdout.write('way        start returned  server ready  unit active   (median ms; all rounds below)\n');
  for (const mode of ['unit', 'direct', 'no-block', 'notify']) {
    const rows = all.filter((r) => r.mode === mode);
    const active = rows.map((r) => r.active).filter((a): a is number => a !== null);
    process.stdout.write(`${mode.padEnd(10)} ${String(median(rows.map((r) => r.returned))).padStart(14)}  ${String(median(rows.map((r) => r.ready))).padStart(12)}  ${(active.length ? String(median(active)) : '-').padStart(11)}\n`);
  }
  for (const r of all) process.stdout.write(`  ${JSON.stringify(r)}\n`);
  await container.poweroff();
} finally {
  await container.dispose();
}
