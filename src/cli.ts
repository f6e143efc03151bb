import { Command, CommanderError, Option } from 'commander';
import { installInterruptHandlers } from './cli/interrupt.js';
import { helpEpilogue } from './cli/help.js';
import { AbortError, ExitCode, formatError } from './system/errors.js';
import { version } from './version.js';

const program = new Command('ha-install')
  .description('Turn two Linux servers into a PostgreSQL High Availability pair: master, hot-standby slave, HAProxy in front.')
  .version(version)
  .showHelpAfterError('(run ha-install --help for the commands and flags)')
  // Throw instead of exiting, so a bad flag gets exit code 2 like every other invalid input.
  .exitOverride()
  .addOption(new Option('--mode <mode>', 'install mode: standalone|master|slave|load-balancer, or 1-4 as in the menu'))
  .option('--master-ip <address>', 'address of the master server')
  .option('--slave-ip <address>', 'address of the slave server')
  .option('--answers <file>', 'run unattended from an answers file (YAML or JSON): never prompts')
  .option('--save-answers <file>', 'save the answers this run used (no secrets, mode 600) for an unattended replay')
  .option('--force', 'replace the --save-answers file if it exists')
  .option('--dry-run', 'run every check, print the plan with file diffs, change nothing')
  .option('-y, --yes', 'apply the plan without asking for confirmation')
  .option('--plain', 'line-by-line prompts instead of the full-screen wizard (serial consoles, screen readers)')
  .option('--json', 'print progress as JSON lines (implies unattended)')
  .option('--ignore-requirements', 'go on although RAM, cores or disk are below the minimum')
  .option('--skip-packages', 'do not install OS packages')
  .option('--pg-port <port>', 'PostgreSQL port (the same on both nodes)')
  .option('--synchronous', 'synchronous replication (no commit lost on failover; writes wait for the slave)')
  .option('--state-dir <dir>', 'where the journal, backups and node state live', '/var/lib/ha-install')
  .option('--log-dir <dir>', 'where the log files go', '/var/log/ha-install')
  .addOption(new Option('--facts <file>', 'use a recorded machine (JSON) instead of this one: for dry runs and tests').hideHelp())
  .addHelpText('after', helpEpilogue)
  .action(async (options: Record<string, unknown>) => {
    // Loaded on demand: ink, React and systeminformation would otherwise slow down --help.
    const { installCommand } = await import('./cli/run-install.js');
    await installCommand({
      dryRun: Boolean(options.dryRun),
      yes: Boolean(options.yes),
      plain: Boolean(options.plain),
      json: Boolean(options.json),
      answersFile: options.answers as string | undefined,
      saveAnswers: options.saveAnswers as string | undefined,
      force: Boolean(options.force),
      stateDir: options.stateDir as string,
      logDir: options.logDir as string,
      factsFile: options.facts as string | undefined,
      answerFlags: {
        mode: options.mode,
        masterIp: options.masterIp,
        slaveIp: options.slaveIp,
        ignoreRequirements: options.ignoreRequirements === true ? true : undefined,
        skipPackages: options.skipPackages === true ? true : undefined,
        pgPort: options.pgPort,
        synchronous: options.synchronous === true ? true : undefined,
      },
    });
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

program
  .command('status')
  .description('this node\'s role, the peer, replication state, lag, slot, timeline, last event; exit 0 only when healthy')
  .option('--json', 'print one JSON document (one per refresh with --watch)')
  .option('--watch', 'refresh every 2 seconds until Ctrl-C')
  .action(async (options: { json?: boolean; watch?: boolean }) => {
    const { runStatus } = await import('./cli/run-status.js');
    // --json is also a global flag: commander hands it to whichever level it parsed it at.
    await runStatus({ ...program.opts<{ stateDir: string; logDir: string }>(), json: Boolean(options.json ?? program.opts().json), watch: Boolean(options.watch) });
  });

program
  .command('demo')
  .description('build a real master + slave pair on this machine (127.0.0.11 and 127.0.0.12) and show its status')
  .option('--down', 'remove everything the demo created, and nothing else')
  .action(async (options: { down?: boolean }) => {
    const { runDemo } = await import('./cli/run-status.js');
    await runDemo({ ...program.opts<{ stateDir: string; logDir: string }>(), down: Boolean(options.down) });
  });

installInterruptHandlers();
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
  if (error instanceof CommanderError) {
    // commander has printed its message already; --help and --version are not errors.
    process.exitCode = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code) ? ExitCode.ok : ExitCode.invalid;
  } else {
    process.stderr.write(formatError(error) + '\n');
    process.exitCode = error instanceof AbortError ? error.exitCode : ExitCode.failed;
  }
}
