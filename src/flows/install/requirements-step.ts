import { settle } from './settle.js';
import { InputError } from '../../system/errors.js';
import { isBelowMinimum, requirementRows, unattendedHowToGoOn } from '../requirements.js';
import type { CheckRow } from '../../prompts/prompter.js';
import type { InstallContext } from '../context.js';

type RequirementsContext = Pick<InstallContext, 'sources' | 'answers' | 'facts' | 'log' | 'ui' | 'options'>;

const problems = (rows: CheckRow[]) => rows.map((r) => ({ field: r.name, message: `measured ${r.measured}, required ${r.required}`, fix: r.fix }));

/**
 * Measures the machine against the minimums, before any change. Below the minimum, a person at
 * the wizard may go on anyway (the log records it) instead of starting over with a flag; a run
 * that cannot ask stops and says how to pass it. What cannot be ignored (an unsupported OS, no
 * root) always stops.
 */
export async function checkRequirements(ctx: RequirementsContext): Promise<void> {
  await settle(ctx, ['minRamGb', 'minCores', 'minDiskGb', 'ignoreRequirements']);
  const a = ctx.answers as Required<Pick<typeof ctx.answers, 'minRamGb' | 'minCores' | 'minDiskGb' | 'ignoreRequirements'>>;
  const canAsk = ctx.sources.prompter !== undefined;
  // The wizard offers the way on itself, below the table: only a run that cannot ask names the flag.
  const rows = requirementRows(ctx.facts, a, { needRoot: !ctx.options.dryRun, howToGoOn: canAsk ? undefined : unattendedHowToGoOn });
  ctx.ui.checks('Requirement check', rows);
  for (const row of rows) ctx.log.info(`requirement ${row.name}: measured ${row.measured}, required ${row.required}: ${row.verdict}`);
  if (a.ignoreRequirements && rows.some(isBelowMinimum)) {
    ctx.log.warn('requirements below the minimum were IGNORED at the admin\'s request (--ignore-requirements or requirements.ignore)');
  }
  const failed = rows.filter((r) => r.verdict === 'fail');
  if (failed.length === 0) return;
  if (!canAsk || !failed.every(isBelowMinimum)) {
    throw new InputError('This machine does not meet the requirements: nothing was changed.', problems(failed));
  }
  const choice = await ctx.ui.select({
    field: 'requirements.ignore',
    message: 'This machine is below the minimum requirements. What now?',
    choices: [
      { value: 'go-on', label: 'Go on anyway (the log records it)' },
      { value: 'stop', label: 'Stop here (nothing was changed)' },
    ],
    initial: 'stop',
  });
  if (choice === 'stop') {
    throw new InputError('Stopped at the requirement check: nothing was changed.', problems(failed), [
      'Run the wizard again and choose "Go on anyway", or pass --ignore-requirements.',
    ]);
  }
  // Saved answers keep the choice, so an unattended replay goes on as this run did.
  a.ignoreRequirements = true;
  ctx.log.warn(`requirements below the minimum were IGNORED: the admin chose "go on anyway" (${failed.map((r) => r.name).join(', ')})`);
  ctx.ui.message('warn', `Going on below the minimum (${failed.map((r) => r.name).join(', ')}); the log records it.`);
}
