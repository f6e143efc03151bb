import type { CheckRow } from '../../src/prompts/prompter.js';

/** The JSON lines a `--json` run prints on stdout: what a test reads instead of a table that wraps at 80 columns. */
export function jsonEvents(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The rows of the checks table titled `title`, by check name. */
export function checkRows(stdout: string, title: string): Map<string, CheckRow> {
  const event = jsonEvents(stdout).find((e) => e.event === 'checks' && e.title === title);
  return new Map(((event?.rows as CheckRow[] | undefined) ?? []).map((row) => [row.name, row]));
}
