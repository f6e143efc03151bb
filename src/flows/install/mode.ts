import { resolveAnswer } from '../../answers/resolve.js';
import { CancelledError } from '../../system/errors.js';
import type { InstallContext } from '../context.js';

export { modeTitles } from '../../answers/types.js';

/** Step 1, as in the Motadata installer: 1 standalone, 2 HA master, 3 HA slave, 4 load balancer. */
export async function chooseMode(ctx: Pick<InstallContext, 'sources' | 'answers' | 'log' | 'ui'>): Promise<void> {
  const mode = await resolveAnswer('mode', ctx.sources, ctx.answers, { message: 'Choose the install mode' });
  ctx.answers.mode = mode;
  ctx.log.info(`install mode: ${mode}`);
}

/** "Set up High Availability? (y/n)": no means nothing happens. */
export async function confirmHighAvailability(ctx: Pick<InstallContext, 'sources' | 'answers' | 'log'>): Promise<void> {
  const yes = await resolveAnswer('highAvailability', ctx.sources, ctx.answers, { message: 'Set up High Availability?' });
  ctx.answers.highAvailability = yes;
  if (yes === false) throw new CancelledError('High Availability was not confirmed: nothing was changed.');
}
