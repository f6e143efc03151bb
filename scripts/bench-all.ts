/**
 * npm run bench [-- ARGS]: the clone benchmark (scripts/bench.ts, which takes ARGS), then the
 * switchover and teardown benchmark (scripts/bench-switchover.ts, in a network namespace of
 * its own). Either alone: npm run bench:clone / npm run bench:switchover.
 */
import { execa } from 'execa';

const clone = await execa('node', ['--import', 'tsx', 'scripts/bench.ts', ...process.argv.slice(2)], { stdio: 'inherit', reject: false });
const switchover = await execa('npm', ['run', '--silent', 'bench:switchover'], { stdio: 'inherit', reject: false });
process.exitCode = clone.exitCode || switchover.exitCode || 0;
