import type { ExecutionContext } from 'ava';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mainCluster, runCli, snapshot, type CliResult, type Netns } from './cli.js';

/**
 * Hostile input through the real binary: every run is timed and its peak memory measured
 * (GNU time), and a refusal must be exit 2 with the field and a fix named, no stack trace,
 * within bounds, with no file changed.
 */
export const fixtures = new URL('../fixtures/', import.meta.url).pathname;
export const goodServer = join(fixtures, 'machines/good-server.json');
export const pair: Netns = { addresses: ['127.0.0.11', '127.0.0.12'] };
/** A load balancer's machine: 127.0.0.10 is its own, the pair's addresses answer beside it. */
export const goodBalancer = join(fixtures, 'machines/good-balancer.json');
export const balancerNetns: Netns = { addresses: ['127.0.0.10', '127.0.0.11', '127.0.0.12'] };
export const password = 'Corr3ct-Horse-Battery';

/** Bounds a refusal must stay within; a good run of the binary takes ~0.3 s and ~90 MB. */
export const MAX_SECONDS = 20;
export const MAX_RSS_KB = 400 * 1024;

export interface Measured extends CliResult {
  seconds: number;
  maxRssKb: number;
}

export const scratch = (prefix = 'ha-hostile-') => mkdtempSync(join(tmpdir(), prefix));

export async function measured(args: string[], options: Parameters<typeof runCli>[1] = {}): Promise<Measured> {
  const report = join(scratch('ha-time-'), 'time');
  const result = await runCli(args, { ...options, wrap: ['/usr/bin/time', '-f', '%M %e', '-o', report] });
  const [rss, seconds] = readFileSync(report, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { ...result, maxRssKb: rss!, seconds: seconds! };
}

/** A folder of its own with state and log folders, and a fingerprint of what must not change. */
export function workspace(extra: string[] = []) {
  const dir = scratch();
  const state = join(dir, 'state');
  const logs = join(dir, 'logs');
  const watched = [state, mainCluster, '/etc/haproxy', ...extra];
  const before = snapshot(watched);
  return { dir, state, logs, common: ['--state-dir', state, '--log-dir', logs], unchanged: () => snapshot(watched) === before };
}

export function answersFile(text: string, options: { dir?: string; name?: string; mode?: number } = {}): string {
  const path = join(options.dir ?? scratch('ha-ans-'), options.name ?? 'answers.yaml');
  writeFileSync(path, text);
  chmodSync(path, options.mode ?? 0o600);
  return path;
}

/** The answers of an HA master on the loopback pair, with `extra` YAML appended. */
export const masterYaml = (extra = '') =>
  `mode: master\nmaster-ip: 127.0.0.11\nslave-ip: 127.0.0.12\nrequirements:\n  min-ram-gb: 1\n  min-cores: 1\n  min-disk-gb: 1\n${extra}`;

const stackTrace = /^\s+at .+(:\d+:\d+\)?|\(node:)/m;

/** Exit 2, the field and a fix named, no stack trace, within bounds. */
export function assertRefused(t: ExecutionContext, result: Measured, field: RegExp, what: string): void {
  const all = result.stderr + result.stdout;
  t.is(result.exitCode, 2, `${what}: exit code 2 expected\n${all.slice(0, 3000)}`);
  t.regex(result.stderr, field, `${what}: names the field`);
  t.regex(result.stderr, /fix: /, `${what}: says how to fix it`);
  t.notRegex(all, stackTrace, `${what}: no stack trace`);
  t.notRegex(all, /Internal error/, `${what}: not an internal error`);
  t.true(result.seconds < MAX_SECONDS, `${what}: ${result.seconds} s`);
  t.true(result.maxRssKb < MAX_RSS_KB, `${what}: ${result.maxRssKb} kB`);
  t.true(all.length < 8000, `${what}: ${all.length} characters of output (an excerpt, not an echo)`);
}

/**
 * Feeds one answers file to `answers validate` and to an unattended master dry run (in a
 * private namespace where 127.0.0.11/12 are this machine's): both must refuse it the same way.
 */
export async function refusedBothWays(t: ExecutionContext, file: string, field: RegExp, what: string, env: Record<string, string> = {}): Promise<void> {
  const w = workspace([file]);
  const validate = await measured(['answers', 'validate', file], { env });
  assertRefused(t, validate, field, `${what} (answers validate)`);
  const dryRun = await measured(['--answers', file, '--dry-run', '--facts', goodServer, ...w.common], { netns: pair, env });
  assertRefused(t, dryRun, field, `${what} (dry run)`);
  t.true(w.unchanged(), `${what}: no file changed`);
}

/** A copy of a fixture machine with other values, e.g. the PostgreSQL versions installed here. */
export function machine(changes: Record<string, unknown>): string {
  const path = join(scratch('ha-machine-'), 'machine.json');
  copyFileSync(goodServer, path);
  writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(goodServer, 'utf8')), ...changes }, null, 2));
  return path;
}
