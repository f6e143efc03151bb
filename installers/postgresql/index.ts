import type { Action } from '../../src/engine/actions.js';
import type { CheckRow } from '../../src/prompts/prompter.js';
import { BugError } from '../../src/system/errors.js';
import type { PostgresqlContext } from './context.js';
import { planMaster, preflightMaster } from './master.js';
import { planSlave, preflightSlave } from './slave.js';

/** What the install flow calls; the rest of this folder are the building blocks. */


/** Checks that must pass before anything changes; the slave proves the master (and waits for it). */
export async function postgresqlPreflight(ctx: PostgresqlContext): Promise<{ rows: CheckRow[] }> {
  switch (ctx.answers.mode) {
    case 'master':
      return preflightMaster(ctx);
    case 'slave':
      return preflightSlave(ctx);
    default:
      return { rows: [] };
  }
}

/** The PostgreSQL part of the install plan for mode master or slave. */
export async function postgresqlPlan(ctx: PostgresqlContext): Promise<Action[]> {
  switch (ctx.answers.mode) {
    case 'master':
      return planMaster(ctx);
    case 'slave':
      return planSlave(ctx);
    default:
      throw new BugError(`postgresqlPlan called for mode ${ctx.answers.mode}: only master and slave replicate`);
  }
}
