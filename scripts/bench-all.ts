/**
 * npm run bench [-- ARGS]: every benchmark, one after another: the clone (scripts/bench.ts,
 * which takes ARGS), the recovery round trip, the balancer, switchover and teardown, and the
 * automatic failover drill (each in a network namespace of its own where it cuts or kills).
 * Each alone: npm run bench:clone, bench:recovery, bench:balancer, bench:switchover, bench:failover.
 * The exit code is the first failure's, after all have run.
 */
import { execa } from 'execa';

const runs = [
  ['node', '--import', 'tsx', 'scripts/bench.ts', ...process.argv.slice(2)],
  ['npm', 'run', '--silent', 'bench:recovery'],
  ['npm', 'run', '--silent', 'bench:balancer'],
  ['npm', 'run', '--silent', 'bench:switchover'],
  ['npm', 'run', '--silent', 'bench:failover'],
];
let exitCode = 0;
for (const [command, ...args] of runs) {
  const result = await execa(command!, args, { stdio: 'inherit', reject: false });
  exitCode ||= result.exitCode ?? 1;
}
process.exitCode = exitCode;
