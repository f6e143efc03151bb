import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan, ProgressEvent } from '../../src/engine/actions.js';
import { BackupStore } from '../../src/engine/backups.js';
import { Journal } from '../../src/engine/journal.js';
import { applyPlan } from '../../src/engine/runner.js';
import { renderPlan } from '../../src/engine/plan-printer.js';
import { Logger } from '../../src/system/log.js';
import { ApplyError } from '../../src/system/errors.js';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'ha-engine-'));
  const target = join(dir, 'pg_hba.conf');
  writeFileSync(target, 'local all all peer\n', { mode: 0o640 });
  const plan: Plan = {
    title: 'test plan',
    notes: [],
    actions: [
      { kind: 'block', id: 'hba', title: 'Allow replication', path: target, marker: 'ha-install', content: 'host replication r 127.0.0.12/32 scram-sha-256', position: 'top' },
      { kind: 'file', id: 'pgpass', title: 'Write passfile', path: join(dir, '.pgpass'), content: '127.0.0.11:5432:*:r:s3cret-Value!\n', mode: 0o600, secret: true },
      { kind: 'command', id: 'echo', title: 'Say hello', argv: ['sh', '-c', 'echo hello s3cret-Value!'] },
    ],
  };
  return { dir, target, plan };
}

async function apply(plan: Plan, dir: string, events: ProgressEvent[] = []) {
  const log = new Logger(join(dir, 'log', 'run.log'));
  log.redact('s3cret-Value!');
  const backups = new BackupStore(join(dir, 'backups'));
  const journal = new Journal(join(dir, 'journal.json'), plan);
  await applyPlan(plan, { log, backups, journal, onEvent: (e) => events.push(e), secrets: {}, stamp: 'T' });
  return { log, backups, journal };
}

test('applies actions in order, backs up changed files first, logs without the secret', async (t) => {
  const { dir, target, plan } = setup();
  const events: ProgressEvent[] = [];
  const { log } = await apply(plan, dir, events);
  t.true(readFileSync(target, 'utf8').startsWith('# BEGIN ha-install\n'));
  t.is(statSync(target).mode & 0o777, 0o640, 'the edited file keeps its mode');
  t.is(readFileSync(join(dir, 'backups', target), 'utf8'), 'local all all peer\n', 'backup holds the original');
  t.is(statSync(join(dir, '.pgpass')).mode & 0o777, 0o600);
  const text = readFileSync(log.path!, 'utf8');
  t.true(text.includes('echo hello'));
  t.false(text.includes('s3cret-Value!'), 'the secret is scrubbed from the log');
  t.deepEqual(events.filter((e) => e.type === 'done').map((e) => e.id), ['hba', 'pgpass', 'echo']);
});

test('a second run of the same plan changes nothing', async (t) => {
  const { dir, target, plan } = setup();
  await apply(plan, dir);
  const after = readFileSync(target, 'utf8');
  const events: ProgressEvent[] = [];
  await apply(plan, dir, events);
  t.is(readFileSync(target, 'utf8'), after);
  const notes = events.filter((e): e is Extract<ProgressEvent, { type: 'done' }> => e.type === 'done').map((e) => e.note);
  t.deepEqual(notes.slice(0, 2), ['unchanged', 'unchanged']);
});

test('a failed command stops the run with the command, its exit code and stderr; a re-run resumes', async (t) => {
  const { dir, plan } = setup();
  const flag = join(dir, 'allow');
  plan.actions.push({ kind: 'command', id: 'flaky', title: 'Flaky step', argv: ['sh', '-c', `test -e ${flag} || { echo broken >&2; exit 3; }`] });
  const error = await t.throwsAsync(apply(plan, dir), { instanceOf: ApplyError });
  t.regex(error!.message, /exited with code 3/);
  t.regex(error!.message, /broken/);
  writeFileSync(flag, '');
  const events: ProgressEvent[] = [];
  await apply(plan, dir, events);
  t.deepEqual(events.filter((e) => e.type === 'skipped').map((e) => e.id), ['hba', 'pgpass', 'echo'], 'finished actions are not redone');
  t.true(events.some((e) => e.type === 'done' && e.id === 'flaky'));
});

test('move-aside keeps the old directory under a new name', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ha-engine-'));
  writeFileSync(join(dir, 'x'), '');
  await apply({ title: 'm', notes: [], actions: [{ kind: 'move-aside', id: 'mv', title: 'Move data aside', path: join(dir, 'x') }] }, dir);
  t.false(existsSync(join(dir, 'x')));
  t.true(readdirSync(dir).includes('x.ha-install-T'));
});

test('the dry-run plan shows diffs but hides secret files', (t) => {
  const { target, plan } = setup();
  const { summary, diffs } = renderPlan(plan);
  t.regex(summary, /1\. Allow replication/);
  t.true(diffs.includes('+host replication r 127.0.0.12/32 scram-sha-256'));
  t.true(diffs.includes('contents hidden'));
  t.false(diffs.includes('s3cret'));
  t.is(readFileSync(target, 'utf8'), 'local all all peer\n', 'rendering the plan changes nothing');
});
