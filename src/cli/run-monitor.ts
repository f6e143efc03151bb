import { runMonitor } from '../../installers/monitor/monitor.js';
import { runWitness } from '../../installers/monitor/witness.js';
import type { MonitorConfig } from '../../installers/monitor/config.js';
import { readFileSync } from 'node:fs';
import { gatherFacts } from '../system/facts.js';
import { formatError } from '../system/errors.js';
import { userIds } from '../system/users.js';

const say = (who: string) => (line: string) => process.stdout.write(`${new Date().toISOString()} ha-install ${who}: ${line}\n`);

/** Serves until SIGTERM (its service stops it so), then stops cleanly. */
async function untilStopped(close: () => Promise<void>): Promise<void> {
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
  });
  await close();
}

/**
 * `ha-install monitor CONFIG`: the failover monitor (installers/monitor/monitor.ts). Its promote
 * is the manual command's flow, run in this process with the facts gathered at start (that
 * takes a second the failover does not have), answering yes, its reason recorded.
 */
export async function runMonitorCommand(configPath: string): Promise<void> {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as MonitorConfig;
  const facts = await gatherFacts();
  const log = say('monitor');
  const close = await runMonitor(configPath, {
    say: log,
    promote: async (why) => {
      const [{ startFlow }, { promoteFlow }] = await Promise.all([import('../flows/start.js'), import('../flows/promote.js')]);
      try {
        await startFlow(promoteFlow, {
          options: { dryRun: false, yes: true, stateDir: config.stateDir, logDir: config.logDir, automatic: why },
          plain: true,
          json: false,
          answerFlags: {},
          facts,
        });
        log('promoted: this node is the primary');
      } catch (error) {
        log(`the promote failed: ${formatError(error)}`);
        throw error;
      }
    },
  });
  await untilStopped(close);
}

/**
 * `ha-install witness CONFIG`: the witness on the balancer (installers/monitor/witness.ts).
 * Started as root so it can read its settings wherever HAProxy's configuration lives (the
 * demo's is in a root-only folder); once they are read and its port is open it only looks and
 * answers, so it drops to the user nobody for good.
 */
export async function runWitnessCommand(configPath: string): Promise<void> {
  const log = say('witness');
  const close = await runWitness(configPath, log);
  if (process.getuid?.() === 0) {
    const { uid, gid } = userIds('nobody');
    process.setgroups!([gid]);
    process.setgid!(gid);
    process.setuid!(uid);
    log(`running as nobody (uid ${uid}) from now`);
  }
  await untilStopped(close);
}
