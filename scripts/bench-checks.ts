/**
 * How long the admin waits for the cheap parts: `ha-install --help`, and the requirement +
 * reachability checks (facts from systeminformation, the verdict table, 3 pings to each of
 * 127.0.0.11 and 127.0.0.12 plus a TCP probe). Prints the median and range of N runs.
 *
 *   npm run bench:checks -- --runs 9
 */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { requirementRows } from '../src/flows/requirements.js';
import { probePair } from '../src/flows/install/reachability.js';
import { gatherFacts } from '../src/system/facts.js';
import { silentLogger } from '../src/system/log.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 9;
const bin = fileURLToPath(new URL('../bin/ha-install.js', import.meta.url));

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function summary(name: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `${name.padEnd(44)} median ${median.toFixed(0).padStart(5)} ms   min ${sorted[0]!.toFixed(0)}   max ${sorted.at(-1)!.toFixed(0)}   (${runs} runs)`;
}

const help: number[] = [];
const checks: number[] = [];
for (let i = 0; i < runs; i++) {
  help.push(await time(() => execa('node', [bin, '--help'])));
  checks.push(
    await time(async () => {
      const facts = await gatherFacts();
      requirementRows(facts, { minRamGb: 4, minCores: 2, minDiskGb: 100, ignoreRequirements: false }, { needRoot: true });
      await probePair({ mode: 'master', masterIp: '127.0.0.11', slaveIp: '127.0.0.12', pingCount: 3, probeTimeoutSeconds: 2, pgPort: 5432 }, facts, silentLogger());
    }),
  );
}
console.log(summary('ha-install --help (new process)', help));
console.log(summary('requirement + reachability checks (in process)', checks));
