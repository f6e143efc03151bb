import { settle } from './settle.js';
import { InputError } from '../../system/errors.js';
import { requirementRows } from '../requirements.js';
import type { InstallContext } from '../context.js';

/** Measures the machine against the minimums and stops the run on a failure, before any change. */
export async function checkRequirements(ctx: Pick<InstallContext, 'sources' | 'answers' | 'facts' | 'log' | 'ui' | 'options'>): Promise<void> {
  await settle(ctx, ['minRamGb', 'minCores', 'minDiskGb', 'ignoreRequirements']);
  const a = ctx.answers as Required<Pick<typeof ctx.answers, 'minRamGb' | 'minCores' | 'minDiskGb' | 'ignoreRequirements'>>;
  const rows = requirementRows(ctx.facts, a, { needRoot: !ctx.options.dryRun });
  ctx.ui.checks('Requirement check', rows);
  for (const row of rows) ctx.log.info(`requirement ${row.name}: measured ${row.measured}, required ${row.required}: ${row.verdict}`);
  if (a.ignoreRequirements && rows.some((r) => r.verdict === 'warn')) {
    ctx.log.warn('requirements below the minimum were IGNORED at the admin\'s request (--ignore-requirements)');
  }
  const failed = rows.filter((r) => r.verdict === 'fail');
  if (failed.length > 0) {
    throw new InputError(
      'This machine does not meet the requirements: nothing was changed.',
      failed.map((r) => ({ field: r.name, message: `measured ${r.measured}, required ${r.required}`, fix: r.fix })),
    );
  }
}
