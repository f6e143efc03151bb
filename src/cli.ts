import { Command, CommanderError, Option } from 'commander';
import { installInterruptHandlers } from './cli/interrupt.js';
import { addRunOptions, mergedOptions } from './cli/options.js';
import { helpEpilogue, promoteHelp, restoreHelp, switchoverHelp, teardownHelp } from './cli/help.js';
import { AbortError, errorDocument, ExitCode, formatError } from './system/errors.js';
import { version } from './version.js';

type Flags = Record<string, unknown>;

/**
 * `status --json` promises one JSON document on stdout whatever happens, errors included. Known
 * from argv, not from parsed options: a bad flag fails before commander has parsed --json.
 */
const argv = process.argv.slice(2);
const jsonErrors = argv.includes('status') && argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined).includes('--json');

const program = new Command('ha-install')
  .description('Turn two Linux servers into a PostgreSQL High Availability pair: master, hot-standby slave, HAProxy in front.')
  .version(version)
  .showHelpAfterError('(run ha-install --help for the commands and flags)')
  .configureHelp({ showGlobalOptions: true })
  .enablePositionalOptions()
  // Throw instead of exiting, so a bad flag gets exit code 2 like every other invalid input.
  .exitOverride()
  .addOption(new Option('--mode <mode>', 'install mode: standalone|master|slave|load-balancer, or 1-4 as in the menu'))
  .option('--master-ip <address>', 'address of the master server')
  .option('--slave-ip <address>', 'address of the slave server')
  .option('--balancer-ip <address>', 'address of the load balancer (mode 4: this machine\'s; modes 2 and 3: admitted as the clients\' source)')
  .option('--ignore-requirements', 'go on although RAM, cores or disk are below the minimum')
  .option('--skip-packages', 'do not install OS packages')
  .option('--pg-port <port>', 'PostgreSQL port (the same on both nodes)')
  .option('--synchronous', 'synchronous replication (no commit lost on failover; writes wait for the slave)')
  .option('--force', 'replace the --save-answers file if it exists');
addRunOptions(program)
  .addHelpText('after', helpEpilogue)
  .action(async (_options: Flags, command: Command) => {
    // Loaded on demand: ink, React and systeminformation would otherwise slow down --help.
    const [{ runFlowCommand }, { installFlow }] = await Promise.all([import('./cli/flow-command.js'), import('./flows/install.js')]);
    await runFlowCommand(installFlow, mergedOptions(command));
  });

addRunOptions(
  program
    .command('promote')
    .description('on the slave, when the master is dead: make this standby the primary (manual failover)')
    .option('--force', 'promote although the master answers as a writable primary (two primaries!); also replaces a --save-answers file')
    .option('--reason <text>', 'why --force was needed: recorded in the log and the pair\'s history'),
)
  .addHelpText('after', promoteHelp)
  .action(async (_options: Flags, command: Command) => {
    const [{ runFlowCommand }, { promoteFlow }] = await Promise.all([import('./cli/flow-command.js'), import('./flows/promote.js')]);
    await runFlowCommand(promoteFlow, mergedOptions(command));
  });

addRunOptions(
  program
    .command('restore-master')
    .alias('restore_master')
    .description('on the old master: bring it back as the standby of the new master (pg_rewind, or a full clone)')
    .option('--master-ip <address>', 'the new master (the node that was promoted)')
    .option('--clone', 'a full clone instead of a rewind (the old data directory is moved aside, never deleted)')
    .option('--force', 'replace the --save-answers file if it exists'),
)
  .addHelpText('after', restoreHelp)
  .action(async (_options: Flags, command: Command) => {
    const [{ runFlowCommand }, { restoreFlow }] = await Promise.all([import('./cli/flow-command.js'), import('./flows/restore-master.js')]);
    await runFlowCommand(restoreFlow, mergedOptions(command));
  });

addRunOptions(
  program
    .command('switchover')
    .description('on either node of a healthy pair: swap the roles (the standby becomes the primary, the master its standby), losing nothing')
    .option('--force', 'replace the --save-answers file if it exists'),
)
  .addHelpText('after', switchoverHelp)
  .action(async (_options: Flags, command: Command) => {
    const [{ runFlowCommand }, { switchoverFlow }] = await Promise.all([import('./cli/flow-command.js'), import('./flows/switchover.js')]);
    await runFlowCommand(switchoverFlow, mergedOptions(command));
  });

addRunOptions(
  program
    .command('teardown')
    .description('back to standalone: remove what the install added for replication (run it on each node); data is never deleted')
    .option('--keep-data', 'on the standby: promote it to a standalone server with its data (default: stop it, move its data aside, start an empty server)')
    .option('--keep-role', 'keep the replication role')
    .option('--force', 'replace the --save-answers file if it exists'),
)
  .addHelpText('after', teardownHelp)
  .action(async (_options: Flags, command: Command) => {
    const [{ runFlowCommand }, { teardownFlow }] = await Promise.all([import('./cli/flow-command.js'), import('./flows/teardown.js')]);
    await runFlowCommand(teardownFlow, mergedOptions(command));
  });

const answers = program.command('answers').description('write or check answers files for unattended installs');
answers
  .command('init [file]')
  .description('write a commented answers template (to stdout without FILE)')
  .option('--force', 'overwrite FILE if it exists')
  // --force is also a global flag (for --save-answers): commander hands it to whichever level parsed it.
  .action(async (file: string | undefined, options: { force?: boolean }) => (await import('./cli/answers-commands.js')).answersInit(file, Boolean(options.force ?? program.opts().force)));
answers
  .command('validate <file>')
  .description('check an answers file: every problem at once, no root needed, nothing changed')
  .action(async (file: string) => (await import('./cli/answers-commands.js')).answersValidate(file));

addRunOptions(
  program
    .command('status')
    // Commander's own message (an unknown flag) becomes the JSON document printed below instead.
    .configureOutput({ writeErr: (text) => (jsonErrors ? undefined : process.stderr.write(text)) })
    .description('this node\'s live role and its peer\'s, replication state, lag, slot, timeline, history; exit 0 only when healthy')
    .option('--json', 'print one JSON document (one per refresh with --watch)')
    .option('--watch', 'refresh every 2 seconds until Ctrl-C'),
  { answersFlags: false },
).action(async (_options: Flags, command: Command) => {
  const { runStatus } = await import('./cli/run-status.js');
  const options = mergedOptions(command) as { stateDir: string; logDir: string; json?: boolean; watch?: boolean };
  await runStatus({ ...options, json: Boolean(options.json), watch: Boolean(options.watch) });
});

const demo = addRunOptions(
  program
    .command('demo')
    .description('build a real master + slave pair on this machine (127.0.0.11 and 127.0.0.12), HAProxy in front on 127.0.0.10, and show their status')
    .option('--down', 'remove everything the demo created, and nothing else')
    .option('--port <port>', 'the PostgreSQL port of both demo nodes', '5440')
    .option('--cluster-prefix <name>', 'the demo clusters are <name>_11 and <name>_12', 'ha_demo')
    .option('--balancer-port <port>', 'where clients reach PostgreSQL through HAProxy on 127.0.0.10', '15432')
    .option('--agent-port <port>', 'the health agents\' port on 127.0.0.11 and 127.0.0.12', '25432')
    .option('--stats-port <port>', 'HAProxy\'s stats page on 127.0.0.10', '7000')
    .option('--witness-port <port>', 'the failover witness\'s port on 127.0.0.10', '25433')
    .option('--manual-failover', 'no failover monitor: when the master dies, the slave waits for `promote`')
    .option('--synchronous', 'synchronous replication: no acknowledged commit lost on failover')
    .option('--event-script <path>', 'a script both monitors run on each event (Failover, StandbyOffline, ManualSwitch, RaiseAlarm, ClearAlarm), as events.script'),
  { answersFlags: false },
).action(async (_options: Flags, command: Command) => {
  const { runDemo } = await import('./cli/run-status.js');
  const options = mergedOptions(command) as { stateDir: string; logDir: string; down?: boolean; port: string; clusterPrefix: string; balancerPort: string; agentPort: string; statsPort: string; witnessPort: string; manualFailover?: boolean; synchronous?: boolean; eventScript?: string };
  await runDemo({ ...options, down: Boolean(options.down), manualFailover: Boolean(options.manualFailover), synchronous: Boolean(options.synchronous) });
});
demo
  .command('run <address> <command...>')
  .description('run an ha-install command as the demo node at ADDRESS (its state folder, settings and the demo\'s backup password), e.g. demo run 127.0.0.12 promote --yes')
  .passThroughOptions()
  .allowUnknownOption()
  .action(async (address: string, args: string[], _options: Flags, command: Command) => {
    const { runDemoNode } = await import('./cli/run-status.js');
    const options = mergedOptions(command) as { stateDir: string; logDir: string };
    process.exitCode = await runDemoNode({ ...options, address, args });
  });

const service = program.command('service').description('ha-install\'s own services here (the health agent, HAProxy without systemd): list, start, stop, restart, remove');
service
  .command('list')
  .description('each service, how it runs (systemd or ha-install\'s supervisor), its state, pid, since when, restarts')
  .option('--json', 'one JSON document')
  .action(async (options: { json?: boolean }) => (await import('./cli/run-service.js')).runServiceList({ json: Boolean(options.json) }));
for (const op of ['start', 'stop', 'restart', 'remove'] as const) {
  addRunOptions(
    service
      .command(`${op} [names...]`)
      .description(op === 'remove' ? 'stop the named services (or --all), disable them and delete their unit and registry entry (backed up)' : `${op} the named services (or --all)`)
      .option('--all', `every ha-install service on this machine`),
    { answersFlags: false },
  )
    .option('--dry-run', 'show the plan, change nothing')
    .option('-y, --yes', 'apply without asking')
    .option('--json', 'progress as JSON lines')
    .action(async (names: string[], _options: Flags, command: Command) => {
      const [{ runFlowCommand }, { serviceFlow }] = await Promise.all([import('./cli/flow-command.js'), import('./flows/service.js')]);
      const options = mergedOptions(command);
      await runFlowCommand(serviceFlow(op, names, Boolean(options.all)), options);
    });
}

program
  .command('agent <config>', { hidden: true })
  .description('the health agent HAProxy checks (run by its service): not for people')
  .action(async (config: string) => (await import('./cli/run-agent.js')).runAgentCommand(config));

program
  .command('monitor <config>', { hidden: true })
  .description('the failover monitor on a database node (run by its service): not for people')
  .action(async (config: string) => (await import('./cli/run-monitor.js')).runMonitorCommand(config));

program
  .command('witness <config>', { hidden: true })
  .description('the failover witness on the balancer (run by its service): not for people')
  .action(async (config: string) => (await import('./cli/run-monitor.js')).runWitnessCommand(config));

program
  .command('supervise <name>', { hidden: true })
  .description('keeps one ha-install service running where PID 1 is not systemd: not for people')
  .action(async (name: string) => (await import('../installers/services/supervisor.js')).supervise(name));

program
  .command('guard <config>', { hidden: true })
  .description('the start guard PostgreSQL\'s pg_ctl runs before postgres (see pg_ctl.conf): not for people')
  .action(async (config: string) => (await import('./cli/run-guard.js')).runGuard(config));

// The long-running services handle SIGTERM themselves: it is how they are stopped, not a cancel.
if (!['agent', 'supervise', 'monitor', 'witness'].includes(argv[0] ?? '')) installInterruptHandlers();
// A reader that goes away (`ha-install --help | head`) must not crash the run with a stack
// trace, least of all an install half-way: the output stops, the work and its log go on.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const helpShown = error instanceof CommanderError && ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
  if (jsonErrors && !helpShown) {
    const document = error instanceof CommanderError ? { message: error.message.replace(/^error: /, ''), exitCode: ExitCode.invalid, problems: [], nextSteps: ['run ha-install status --help for its flags'] } : errorDocument(error);
    process.stdout.write(JSON.stringify({ healthy: false, nodes: [], at: new Date().toISOString(), error: document }) + '\n');
    process.exitCode = document.exitCode;
  } else if (error instanceof CommanderError) {
    // commander has printed its message already; --help and --version are not errors.
    process.exitCode = helpShown ? ExitCode.ok : ExitCode.invalid;
  } else {
    // On a terminal the lines wrap between words; in a pipe or a log each problem stays one line.
    process.stderr.write(formatError(error, process.stderr.isTTY ? process.stderr.columns : undefined) + '\n');
    process.exitCode = error instanceof AbortError ? error.exitCode : ExitCode.failed;
  }
}
