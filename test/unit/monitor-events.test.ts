import test from 'ava';
import { chmodSync, chownSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventLogPath, fireEvent, scriptProblem } from '../../installers/monitor/events.js';
import { Logger } from '../../src/system/log.js';

/** Event scripts get AMM's arguments, are killed when they hang, never make the caller wait, and every event is in the JSON-lines log. */

function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'ha-events-'));
  return { dir, log: new Logger(join(dir, 'run.log')) };
}

function script(dir: string, body: string, mode = 0o755): string {
  const path = join(dir, 'on-event');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, mode);
  chownSync(path, 0, 0);
  return path;
}

test('the script gets the event and its arguments, as AMM passes them; the event log has one line', async (t) => {
  const { dir, log } = folder();
  const out = join(dir, 'args');
  const { recorded, done } = fireEvent({ script: script(dir, `echo "$@" > ${out}`), timeoutSeconds: 5, stateDir: dir }, { name: 'Failover', args: ['127.0.0.12', '127.0.0.11'] }, log);
  t.like(recorded, { name: 'Failover', args: ['127.0.0.12', '127.0.0.11'] });
  const record = await done;
  t.is(readFileSync(out, 'utf8'), 'Failover 127.0.0.12 127.0.0.11\n');
  t.like(record.script, { exitCode: 0 });
  const lines = readFileSync(eventLogPath(dir), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { name: string; args: string[] });
  t.deepEqual(lines.map((l) => [l.name, ...l.args]), [['Failover', '127.0.0.12', '127.0.0.11']]);
});

test('a script that hangs is killed after its timeout, and firing it returned at once', async (t) => {
  const { dir, log } = folder();
  const started = Date.now();
  const { done } = fireEvent({ script: script(dir, 'sleep 30'), timeoutSeconds: 1, stateDir: dir }, { name: 'RaiseAlarm', args: ['replication', 'the standby is gone'] }, log);
  t.true(Date.now() - started < 200, 'fireEvent does not wait for the script');
  const record = await done;
  t.like(record.script, { timedOut: true, signal: 'SIGKILL' });
  t.true(Date.now() - started < 5000);
  t.regex(readFileSync(log.path!, 'utf8'), /event script for RaiseAlarm: killed after 1 s/);
});

test('a failing script is logged; a script others may change is not run', async (t) => {
  const { dir, log } = folder();
  const failing = await fireEvent({ script: script(dir, 'exit 3'), timeoutSeconds: 5, stateDir: dir }, { name: 'ClearAlarm', args: ['replication is back'] }, log).done;
  t.like(failing.script, { exitCode: 3 });
  const loose = script(dir, 'exit 0', 0o777);
  t.regex(scriptProblem(loose) ?? '', /can be changed by group or others/);
  const refused = await fireEvent({ script: loose, timeoutSeconds: 5, stateDir: dir }, { name: 'StandbyOffline', args: ['127.0.0.12', '127.0.0.11'] }, log).done;
  t.regex(refused.script?.error ?? '', /can be changed by group or others/);
  t.is(readFileSync(eventLogPath(dir), 'utf8').trim().split('\n').length, 2, 'both events are in the log all the same');
});
