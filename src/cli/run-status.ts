import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { demoCommand, demoDownCommand, demoNodeDir, demoSecretsFile, readDemoRecord, type DemoSettings } from '../flows/demo.js';
import { runStamp } from '../flows/context.js';
import { collectStatus, statusCommand } from '../flows/status.js';
import { statusText } from '../flows/status-lines.js';
import { ExitCode, InputError } from '../system/errors.js';
import { asRoot, commandLine, detectInvocation } from '../system/invocation.js';
import { Logger } from '../system/log.js';
import { folderArgs } from '../flows/printed.js';
import { checkRunPaths } from './run-paths.js';
import { clientLine } from '../flows/demo-balancer.js';
import { scriptProblem } from '../../installers/monitor/events.js';

function requireRoot(what: string): void {
  if (process.getuid?.() !== 0) {
    throw new InputError(`${what} needs root.`, [{ message: 'not running as root', fix: `run it as root: ${asRoot(process.argv.slice(2))}` }]);
  }
}

/** `ha-install status`: exit code 1 when the pair is not healthy. */
export async function runStatus(options: { stateDir: string; logDir: string; json: boolean; watch: boolean }): Promise<void> {
  requireRoot('status');
  checkRunPaths({ stateDir: options.stateDir, dryRun: true }); // status only reads it
  const healthy = await statusCommand({ ...options, log: new Logger(undefined) });
  if (!healthy) process.exitCode = ExitCode.failed;
}

export interface DemoFlags {
  port: string;
  clusterPrefix: string;
  balancerPort: string;
  agentPort: string;
  statsPort: string;
  witnessPort: string;
  manualFailover: boolean;
  synchronous: boolean;
  eventScript?: string;
}

function demoFlags(options: DemoFlags): DemoSettings {
  const problems = [];
  const ports: Record<string, number> = {};
  for (const [name, flag] of [['port', '--port'], ['balancerPort', '--balancer-port'], ['agentPort', '--agent-port'], ['statsPort', '--stats-port'], ['witnessPort', '--witness-port']] as const) {
    const value = Number(options[name]);
    if (!Number.isInteger(value) || value < 1024 || value > 65535) problems.push({ field: flag, message: `"${options[name]}" is not a port from 1024 to 65535`, fix: `e.g. ${flag} ${{ port: 5450, balancerPort: 15432, agentPort: 25432, statsPort: 7000, witnessPort: 25433 }[name]}` });
    else if (Object.values(ports).includes(value)) problems.push({ field: flag, message: `${value} is another of the demo's ports already`, fix: 'give each of --port, --balancer-port, --agent-port, --stats-port and --witness-port its own' });
    ports[name] = value;
  }
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(options.clusterPrefix)) problems.push({ field: '--cluster-prefix', message: `"${options.clusterPrefix}" is not a plain name`, fix: 'lower-case letters, digits and _, starting with a letter (no dash: systemd reads a dash as a slash)' });
  if (options.eventScript !== undefined) {
    const problem = !options.eventScript.startsWith('/') ? `"${options.eventScript}" is not an absolute path` : scriptProblem(options.eventScript);
    if (problem) problems.push({ field: '--event-script', message: problem, fix: 'give the full path of a script of root\'s (chown root:root, chmod 0755)' });
    if (options.manualFailover) problems.push({ field: '--event-script', message: 'is run by the failover monitors, and --manual-failover has none', fix: 'drop one of --event-script and --manual-failover' });
  }
  if (problems.length > 0) throw new InputError('The demo options are not usable: nothing was changed.', problems);
  return {
    port: ports.port!,
    prefix: options.clusterPrefix,
    balancerPort: ports.balancerPort!,
    agentPort: ports.agentPort!,
    statsPort: ports.statsPort!,
    witnessPort: ports.witnessPort!,
    automatic: !options.manualFailover,
    synchronous: options.synchronous,
    ...(options.eventScript !== undefined ? { eventScript: options.eventScript } : {}),
  };
}

/** `ha-install demo [--down]`, then the pair's status and commands to try, each working as printed. */
export async function runDemo(options: { stateDir: string; logDir: string; down: boolean } & DemoFlags): Promise<void> {
  const flags = demoFlags(options);
  requireRoot('demo');
  checkRunPaths({ stateDir: options.stateDir, logDir: options.logDir, dryRun: false });
  const log = new Logger(join(options.logDir, `ha-install-demo-${runStamp()}.log`));
  if (options.down) return demoDownCommand({ stateDir: options.stateDir, log });
  const started = performance.now();
  const record = await demoCommand({ ...options, ...flags, log });
  const report = await collectStatus(options.stateDir, log);
  process.stdout.write(`\n${statusText(report)}\n`);
  const me = (args: string[]) => commandLine(detectInvocation(), [...folderArgs(options), ...args]);
  const [master, slave] = record.nodes ?? [];
  const socket = (cluster: string | undefined) => `/var/run/postgresql/${cluster}`;
  const version = record.clusters[0]?.version ?? '';
  const demo = record.options!;
  process.stdout.write(`\nDemo ready in ${((performance.now() - started) / 1000).toFixed(1)} s: master ${master?.address}, slave ${slave?.address}, HAProxy on ${demo.balancer.address}:${demo.balancerPort}; failover ${demo.automatic ? `automatic (the witness on ${demo.balancer.address}:${demo.witnessPort})` : 'by hand (promote)'}.\n`);
  process.stdout.write(`A client through the balancer (as root: the password file is root's), to whichever node is the primary:\n`);
  process.stdout.write(`${clientLine(demo, record.client, 'SELECT inet_server_addr() AS node, pg_is_in_recovery() AS standby')}\n`);
  process.stdout.write('Try:\n');
  const lines = [
    `${me(['status'])}    # all three, live`,
    `${clientLine(demo, record.client, 'CREATE TABLE IF NOT EXISTS t AS SELECT 1 AS x')}`,
    `runuser -u postgres -- psql -h ${socket(slave?.cluster)} -p ${record.port} -d postgres -c "TABLE t"    # the slave has it`,
    ...(demo.automatic
      ? [
          `pg_ctlcluster ${version} ${master?.cluster} stop -m immediate    # the master dies: the slave's monitor promotes it by itself within about 4 s`,
          `sleep 6 && ${clientLine(demo, record.client, 'INSERT INTO t VALUES (2) RETURNING inet_server_addr() AS node')}    # the same client line now writes on the slave`,
        ]
      : [
          `pg_ctlcluster ${version} ${master?.cluster} stop -m immediate    # the master dies`,
          `${me(['demo', 'run', slave?.address ?? '', 'promote', '--yes'])}    # the slave takes over; the client line above now reaches it`,
        ]),
    `${me(['demo', 'run', master?.address ?? '', 'restore-master', '--master-ip', slave?.address ?? '', '--yes'])}    # the old master comes back as its standby`,
    `${me(['demo', '--down'])}    # remove the demo`,
  ];
  for (const line of lines) process.stdout.write(`  ${line}\n`);
  if (!report.healthy) process.exitCode = ExitCode.failed;
}

/**
 * `ha-install demo run ADDRESS COMMAND [ARGS...]`: the command as the demo node at ADDRESS
 * would run it (its state folder, the demo's log folder, the demo's backup password as an
 * answers file), in a child process; returns its exit code.
 */
export async function runDemoNode(options: { stateDir: string; logDir: string; address: string; args: string[] }): Promise<number> {
  const record = readDemoRecord(options.stateDir);
  const addresses = record?.hosts ?? [];
  if (!record || !addresses.includes(options.address)) {
    throw new InputError(record ? `${options.address} is not a node of the demo pair.` : 'No demo pair is up.', [
      { field: 'ADDRESS', message: record ? `the demo nodes are ${addresses.join(' and ')}` : 'nothing to run the command on', fix: record ? `use one of ${addresses.join(', ')}` : 'start it with `ha-install demo` first' },
    ]);
  }
  const [command, ...rest] = options.args;
  const wantsPassword = command === 'restore-master' || command === 'restore_master';
  const argv = [
    process.argv[1]!,
    command!,
    '--state-dir',
    demoNodeDir(options.stateDir, options.address),
    '--log-dir',
    options.logDir,
    ...(wantsPassword && !rest.includes('--answers') ? ['--answers', demoSecretsFile(options.stateDir)] : []),
    ...rest,
  ];
  process.stderr.write(`━━ as demo node ${options.address}: ha-install ${[command, ...rest].join(' ')} ━━\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? ExitCode.cancelled : ExitCode.failed)));
  });
}
