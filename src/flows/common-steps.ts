import { join } from 'node:path';
import type { Plan } from '../engine/actions.js';
import { BackupStore } from '../engine/backups.js';
import { Inventory, inventoryPath } from '../engine/inventory.js';
import { Journal } from '../engine/journal.js';
import { renderPlan } from '../engine/plan-printer.js';
import { applyPlan } from '../engine/runner.js';
import { BugError, CancelledError, InputError } from '../system/errors.js';
import type { CheckRow } from '../prompts/prompter.js';
import { installerHandlers } from '../../installers/handlers.js';
import type { FlowContext, Step } from './context.js';

/** A preflight's table: shown, and each row logged (`logAs NAME: MEASURED: VERDICT`). */
export function showChecks(ctx: Pick<FlowContext, 'ui' | 'log'>, title: string, logAs: string, rows: CheckRow[]): void {
  ctx.ui.checks(title, rows);
  for (const row of rows) ctx.log.info(`${logAs} ${row.name}: ${row.measured}: ${row.verdict}`);
}

/**
 * A run with a failed check is refused before any change (InputError, exit 2): each failed row
 * a problem naming its answers field (or the check) and its fix; `withRequired` adds what the
 * check requires to the message.
 */
export function refuseFailedChecks(rows: CheckRow[], refusal: string, { withRequired = true } = {}): void {
  const failed = rows.filter((r) => r.verdict === 'fail');
  if (failed.length === 0) return;
  throw new InputError(
    refusal,
    failed.map((r) => ({ field: r.field ?? r.name, message: `${r.name}: ${r.measured}${withRequired ? ` (required: ${r.required})` : ''}`, fix: r.fix })),
  );
}

/** Installers turn answers and facts into actions; the plan is shown (with file diffs) and logged. A dry run ends after it. */
export function planStep<C extends FlowContext>(build: (ctx: C) => Promise<Plan>): Step<C> {
  return {
    id: 'plan',
    title: 'The plan',
    run: async (ctx) => {
      ctx.plan = await build(ctx);
      const { summary, diffs } = renderPlan(ctx.plan);
      ctx.log.info(`plan:\n${summary}`);
      ctx.ui.showPlan(ctx.plan, diffs);
    },
  };
}

/** The admin confirms (or passed --yes); an unattended run never asks. */
export const confirmStep: Step = {
  id: 'confirm',
  title: 'Confirmation',
  changes: true,
  run: async (ctx) => {
    if (ctx.options.yes || ctx.sources.prompter === undefined || (ctx.plan?.actions.length ?? 0) === 0) return;
    const go = await ctx.ui.confirm({ field: 'confirm', message: 'Apply this plan now?', initial: true });
    if (!go) throw new CancelledError('You chose not to apply the plan: nothing was changed.');
  },
};

/** The journal a command's plan resumes from: the install keeps the name it always had. */
export const journalPath = (ctx: Pick<FlowContext, 'options' | 'command'>, part = '') =>
  join(ctx.options.stateDir, ctx.command === 'install' ? `journal${part}.json` : `journal-${ctx.command}${part}.json`);

/** Applies a plan: backups first, a journal for resuming, progress to the front end. */
export async function applyWithJournal(ctx: FlowContext, plan: Plan, journal: string): Promise<BackupStore> {
  const backups = new BackupStore(join(ctx.options.stateDir, 'backups', ctx.stamp));
  const record = new Journal(journal, plan);
  if (record.resumed) ctx.ui.message('info', 'An earlier run of this plan was interrupted: resuming where it stopped.');
  await applyPlan(plan, {
    log: ctx.log,
    backups,
    journal: record,
    stamp: ctx.stamp,
    secrets: ctx.secrets,
    handlers: installerHandlers,
    inventory: new Inventory(inventoryPath(ctx.options.stateDir), ctx.command),
    onEvent: (event) => ctx.ui.progress(event),
  });
  return backups;
}

/** The apply step of a flow; `after` records what the flow changed (the node's state). */
export function applyStep<C extends FlowContext>(title: string, after?: (ctx: C) => Promise<void>): Step<C> {
  return {
    id: 'apply',
    title,
    changes: true,
    run: async (ctx) => {
      if (!ctx.plan) throw new BugError('apply called before the plan was built');
      const backups = await applyWithJournal(ctx, ctx.plan, journalPath(ctx));
      await after?.(ctx);
      if (backups.files.length > 0) ctx.notes.push(`backups of changed files: ${backups.directory}`);
    },
  };
}
