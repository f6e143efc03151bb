import { Option, type Command } from 'commander';

/**
 * Options every command that runs a flow shares. The program parses options positionally (its
 * own before a command's name, a command's after it), so `demo run ADDRESS promote --yes` can
 * hand `--yes` to the command it runs; each command therefore declares these itself, and
 * `mergedOptions` joins its own with the program's, a value given on the line winning over a default.
 */
export function addRunOptions(command: Command, { answersFlags = true }: { answersFlags?: boolean } = {}): Command {
  if (answersFlags) {
    command
      .option('--answers <file>', 'run unattended from an answers file (YAML or JSON): never prompts')
      .option('--save-answers <file>', 'save the answers this run used (no secrets, mode 600) for an unattended replay')
      .option('--dry-run', 'run every check, print the plan with file diffs and SQL, change nothing')
      .option('-y, --yes', 'apply the plan without asking for confirmation')
      .option('--plain', 'line-by-line prompts instead of the full-screen wizard (serial consoles, screen readers)')
      .option('--json', 'print progress as JSON lines (implies unattended)')
      .addOption(new Option('--facts <file>', 'use a recorded machine (JSON) instead of this one: for dry runs and tests').hideHelp());
  }
  return command
    .option('--state-dir <dir>', 'where the journal, backups and node state live', '/var/lib/ha-install')
    .option('--log-dir <dir>', 'where the log files go', '/var/log/ha-install');
}

/** The command's options and its parents', each taken from where it was given rather than defaulted. */
export function mergedOptions(command: Command): Record<string, unknown> {
  const merged = new Map<string, { value: unknown; given: boolean }>();
  for (let level: Command | null = command; level; level = level.parent) {
    for (const [key, value] of Object.entries(level.opts())) {
      const given = level.getOptionValueSource(key) !== 'default';
      const known = merged.get(key);
      if (known === undefined || (!known.given && given)) merged.set(key, { value, given });
    }
  }
  return Object.fromEntries([...merged].map(([key, { value }]) => [key, value]));
}
