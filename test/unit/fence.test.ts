import test from 'ava';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearRuntimeFence, fenceWatcher, readFence, runtimeFencePath, writeRuntimeFence } from '../../installers/postgresql/fence.js';
import { fenceMark, STANDBY_MARK } from '../../installers/postgresql/standby-signal.js';

/** The fence the agent reads: the start guard's mark in standby.signal, or the runtime file issue 9's fencing writes. */

const ref = { version: 15, name: 'main' };
const dirs = () => ({ data: mkdtempSync(join(tmpdir(), 'ha-fence-data-')), run: mkdtempSync(join(tmpdir(), 'ha-fence-run-')) });

test('no standby.signal and no runtime fence: not fenced; a plain standby.signal is no fence either', (t) => {
  const { data, run } = dirs();
  t.false(readFence(ref, data, run).fenced);
  writeFileSync(join(data, 'standby.signal'), STANDBY_MARK);
  t.false(readFence(ref, data, run).fenced);
});

test('the start guard\'s mark fences, with its reason and the restore command', (t) => {
  const { data, run } = dirs();
  writeFileSync(join(data, 'standby.signal'), fenceMark('the peer is the primary now', 'ha-install restore-master --master-ip 10.0.0.2'));
  t.like(readFence(ref, data, run), { fenced: true, source: 'start guard', reason: 'the peer is the primary now', restore: 'ha-install restore-master --master-ip 10.0.0.2' });
});

test('a runtime fence is written atomically, read with its reason, and cleared', (t) => {
  const { data, run } = dirs();
  writeRuntimeFence(ref, { reason: 'sees neither peer nor witness', by: 'monitor' }, run);
  t.is(runtimeFencePath(ref, run), join(run, 'fence-15-main'));
  const fence = readFence(ref, data, run);
  t.like(fence, { fenced: true, source: 'runtime' });
  t.regex(fence.reason ?? '', /^sees neither peer nor witness \(by monitor at \d{4}-/);
  clearRuntimeFence(ref, run);
  t.false(readFence(ref, data, run).fenced);
});

test('a damaged runtime fence still fences: no write is safer than a guess', (t) => {
  const { data, run } = dirs();
  writeFileSync(runtimeFencePath(ref, run), 'not json');
  t.like(readFence(ref, data, run), { fenced: true, source: 'runtime' });
});

test('the watcher sees a fence appear and go, reading the files only when they change', (t) => {
  const { data, run } = dirs();
  const watch = fenceWatcher(ref, data, run);
  t.false(watch().fenced);
  writeRuntimeFence(ref, { reason: 'now', by: 'test' }, run);
  t.true(watch().fenced);
  t.true(watch().fenced);
  rmSync(runtimeFencePath(ref, run));
  t.false(watch().fenced);
});
