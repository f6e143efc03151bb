import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pingArgv, pingConfig } from '../../src/system/probes.js';
import { answersFile, goodBalancer, measured, workspace } from '../helpers/hostile.js';

/**
 * reachability.ping-count and timeout-seconds bound what is sent. In a private namespace where
 * nothing answers ping (icmp_echo_ignore_all) a silent host used to get 83 echoes for a count
 * of 1: ping ran with a deadline, and keeps sending until the deadline when no reply comes.
 * ping's own summary line, in the log, counts what it sent.
 */
async function silentRun(count: number, timeout: number) {
  const w = workspace();
  const file = answersFile(`mode: load-balancer\nmaster-ip: 127.0.0.11\nslave-ip: 127.0.0.12\nbalancer-ip: 127.0.0.10\nreachability:\n  ping-count: ${count}\n  timeout-seconds: ${timeout}\n`);
  const result = await measured(['--answers', file, '--dry-run', '--facts', goodBalancer, ...w.common], { netns: { addresses: ['127.0.0.10', '127.0.0.11', '127.0.0.12'], silent: true } });
  const log = readFileSync(join(w.logs, readdirSync(w.logs)[0]!), 'utf8');
  const sent = [...log.matchAll(/out\s+(\d+) packets transmitted, (\d+) received/g)].map((m) => [Number(m[1]), Number(m[2])]);
  return { result, sent, log };
}

for (const [count, timeout] of [[1, 1], [3, 1], [5, 2]] as const) {
  test(`ping-count ${count}, timeout ${timeout} s: exactly ${count} echoes to each silent address, done within the timeout`, async (t) => {
    const { result, sent, log } = await silentRun(count, timeout);
    // The TCP probe still gets a reset from these addresses: the hosts count as up, the run goes on
    // to the balancer's preflight, which refuses (no agent runs in this namespace).
    t.is(result.exitCode, 2, result.stderr);
    t.regex(result.stderr, /The balancer preflight failed/);
    t.deepEqual(sent, [[count, 0], [count, 0]], log);
    t.notRegex(log, /\$ ping .*-w/, 'no deadline option');
    t.true(result.seconds < timeout + count * 0.02 + 3, `${result.seconds} s`);
  });
}

test('the ping argv the ping package runs: count and timeout, no deadline, the 20 ms interval only as root', (t) => {
  t.deepEqual(pingArgv('127.0.0.12', pingConfig('127.0.0.12', { count: 3, timeoutSeconds: 2, root: true })), ['ping', '-n', '-W', '2', '-c', '3', '-s', '56', '-i', '0.02', '127.0.0.12']);
  t.deepEqual(pingArgv('fd00::12', pingConfig('fd00::12', { count: 1, timeoutSeconds: 1, root: false })), ['ping6', '-n', '-W', '1', '-c', '1', '-s', '56', 'fd00::12']);
});
