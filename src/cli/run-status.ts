import { join } from 'node:path';
import { demoCommand, demoDownCommand } from '../flows/demo.js';
import { runStamp } from '../flows/context.js';
import { collectStatus, statusCommand } from '../flows/status.js';
import { statusText } from '../flows/status-lines.js';
import { ExitCode, InputError } from '../system/errors.js';
import { Logger } from '../system/log.js';

function requireRoot(what: string): void {
  if (process.getuid?.() !== 0) {
    throw new InputError(`${what} needs root.`, [{ message: 'not running as root', fix: `run with sudo: sudo npx ha-install ${what}` }]);
  }
}

/** `ha-install status`: exit code 1 when the pair is not healthy. */
export async function runStatus(options: { stateDir: string; logDir: string; json: boolean; watch: boolean }): Promise<void> {
  requireRoot('status');
  const healthy = await statusCommand({ ...options, log: new Logger(undefined) });
  if (!healthy) process.exitCode = ExitCode.failed;
}

/** `ha-install demo [--down]`, then the pair's status. */
export async function runDemo(options: { stateDir: string; logDir: string; down: boolean }): Promise<void> {
  requireRoot('demo');
  const log = new Logger(join(options.logDir, `ha-install-demo-${runStamp()}.log`));
  if (options.down) return demoDownCommand({ stateDir: options.stateDir, log });
  const started = performance.now();
  await demoCommand({ ...options, log });
  const report = await collectStatus(options.stateDir, log);
  process.stdout.write(`\n${statusText(report)}\n`);
  process.stdout.write(`\nDemo pair ready in ${((performance.now() - started) / 1000).toFixed(1)} s. Try:\n`);
  process.stdout.write('  sudo ha-install status --watch          live replication status of both nodes\n');
  process.stdout.write('  runuser -u postgres -- psql -h 127.0.0.11 -p 5440 -c "CREATE TABLE t AS SELECT 1 AS x"\n');
  process.stdout.write('  runuser -u postgres -- psql -h /var/run/postgresql/ha_demo_12 -p 5440 -c "TABLE t"\n');
  process.stdout.write('  sudo ha-install demo --down             remove the demo pair\n');
  if (!report.healthy) process.exitCode = ExitCode.failed;
}
