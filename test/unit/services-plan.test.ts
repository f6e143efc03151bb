import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionHandlers, Plan, ProgressEvent, ServiceAction } from '../../src/engine/actions.js';
import { BackupStore } from '../../src/engine/backups.js';
import { Journal } from '../../src/engine/journal.js';
import { renderPlan } from '../../src/engine/plan-printer.js';
import { applyPlan } from '../../src/engine/runner.js';
import { Logger } from '../../src/system/log.js';
import { renderUnit, serviceActions, systemdWord } from '../../installers/services/plan.js';
import type { ServiceSpec } from '../../installers/services/spec.js';

/** The service model as plan data: the unit or the supervisor in the dry run, and the engine's "restart only if changed". */

const runtime = { dir: '/usr/local/lib/ha-install/0.1.0-abc', argv: ['/usr/bin/node', '/usr/local/lib/ha-install/0.1.0-abc/bin/ha-install.js'] };
const spec: ServiceSpec = {
  name: 'ha-install-agent-15-main',
  description: 'ha-install health agent of PostgreSQL 15/main on 10.0.0.1:25432',
  argv: [...runtime.argv, 'agent', '/etc/postgresql/15/main/ha-install-agent.json'],
  user: 'postgres',
  log: '/var/log/ha-install/ha-install-agent-15-main.log',
  ready: { host: '10.0.0.1', port: 25432 },
  after: ['postgresql@15-main.service'],
};

test('the systemd unit comes from the template: the runtime copy\'s argv, Restart=always, the user, enabled at boot', (t) => {
  const unit = renderUnit(spec);
  t.regex(unit, /^ExecStart=\/usr\/bin\/node \/usr\/local\/lib\/ha-install\/0\.1\.0-abc\/bin\/ha-install\.js agent \/etc\/postgresql\/15\/main\/ha-install-agent\.json$/m);
  t.regex(unit, /^Restart=always$/m);
  t.regex(unit, /^User=postgres$/m);
  t.regex(unit, /^After=network-online\.target postgresql@15-main\.service$/m);
  t.regex(unit, /^WantedBy=multi-user\.target$/m);
  t.notRegex(unit, /ExecReload/, 'no reload for a service without a reload signal');
  t.regex(renderUnit({ ...spec, reloadSignal: 'SIGUSR2' }), /^ExecReload=\/bin\/kill -USR2 \$MAINPID$/m);
});

test('argv words are quoted as systemd reads them: specifiers, variables and blanks', (t) => {
  t.is(systemdWord('/plain/path.json'), '/plain/path.json');
  t.is(systemdWord('50%'), '50%%');
  t.is(systemdWord('$HOME'), '$$HOME');
  t.is(systemdWord('a b"c'), '"a b\\"c"');
});

test('the dry run shows the unit file with systemd, the supervisor command without it', (t) => {
  const withSystemd = renderPlan({ title: 't', notes: [], actions: serviceActions(spec, { init: 'systemd', runtime }) });
  t.regex(withSystemd.summary, /Write the systemd unit \/etc\/systemd\/system\/ha-install-agent-15-main\.service/);
  t.regex(withSystemd.summary, /Enable and start ha-install-agent-15-main\.service \(Restart=always\): systemctl enable --now ha-install-agent-15-main\.service/);
  t.regex(withSystemd.diffs, /\+ExecStart=\/usr\/bin\/node/);
  const without = renderPlan({ title: 't', notes: [], actions: serviceActions(spec, { init: 'none', runtime, restartOn: ['agent.config'] }) });
  t.notRegex(without.summary, /systemd unit/);
  t.regex(without.summary, /under ha-install's supervisor .*: \/usr\/bin\/node \/usr\/local\/lib\/ha-install\/0\.1\.0-abc\/bin\/ha-install\.js supervise ha-install-agent-15-main/);
  t.regex(without.summary, /if it runs already: restart only if this run changes agent\.config/);
  t.regex(without.diffs, /\+  "user": "postgres"/, 'the registry entry is shown as a diff');
});

/** A stand-in for the service handler: it records what the engine told it, so the engine's part is what is tested. */
function recordingHandlers(seen: string[]): ActionHandlers {
  return {
    sql: async () => [],
    service: async (action: ServiceAction, ctx) => {
      const change = action.ifChanged?.find((w) => ctx.changed(w.ids))?.then;
      seen.push(`${action.id}:${change ?? 'nothing'}`);
      return change ? `${change}ed` : 'already running';
    },
  };
}

async function apply(plan: Plan, dir: string, handlers: ActionHandlers) {
  const events: ProgressEvent[] = [];
  await applyPlan(plan, { log: new Logger(join(dir, 'run.log')), backups: new BackupStore(join(dir, 'b')), journal: new Journal(join(dir, 'j.json'), plan), onEvent: (e) => events.push(e), secrets: {}, stamp: 'T', handlers });
  return events;
}

test('a service restarts only when this run changed what it reads: once after a change, never on a re-run', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ha-svc-'));
  const config = join(dir, 'agent.json');
  const plan = (content: string): Plan => ({
    title: 'svc',
    notes: [],
    actions: [
      { kind: 'file', id: 'agent.config', title: 'config', path: config, content, mode: 0o644 },
      { kind: 'service', id: 'svc.start', title: 'start', service: { kind: 'ha-install', name: 'x', init: 'none' }, op: 'start', command: ['true'], ifChanged: [{ ids: ['agent.config'], then: 'restart' }] },
    ],
  });
  const seen: string[] = [];
  await apply(plan('{"port": 1}\n'), dir, recordingHandlers(seen));
  await apply(plan('{"port": 1}\n'), dir, recordingHandlers(seen));
  await apply(plan('{"port": 2}\n'), dir, recordingHandlers(seen));
  t.deepEqual(seen, ['svc.start:restart', 'svc.start:nothing', 'svc.start:restart']);
});

test('a file whose validator refuses the new content is left as it was, and the error says so', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ha-val-'));
  const path = join(dir, 'haproxy.cfg');
  writeFileSync(path, 'good old\n');
  const plan: Plan = { title: 'v', notes: [], actions: [{ kind: 'file', id: 'cfg', title: 'config', path, content: 'bad new\n', mode: 0o644, validate: ['sh', '-c', 'grep -q good "$1" || { echo "[ALERT] no good in $1" >&2; exit 3; }', 'sh', '{file}'] }] };
  await t.throwsAsync(apply(plan, dir, recordingHandlers([])), { message: /was refused by `sh` \(exit 3\): the file was not changed\.\n\[ALERT\] no good in .*haproxy\.cfg\.ha-install-tmp/ });
  t.is(readFileSync(path, 'utf8'), 'good old\n');
  t.false(existsSync(`${path}.ha-install-tmp`), 'the refused content is not left lying around');
  t.regex(renderPlan(plan).summary, /checked first with: sh -c .* sh .*haproxy\.cfg\.ha-install-tmp; refused, the file stays as it is/);
});
