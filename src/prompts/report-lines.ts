import { actionDetail, actionLine } from '../engine/plan-printer.js';
import type { Plan, ProgressEvent } from '../engine/actions.js';
import type { CheckRow, StepState, Verdict } from './prompter.js';

/**
 * Reporter output as plain text, shared by the plain and unattended front ends (and by the ink
 * checks table for its column widths), so a serial console, a CI log and the TUI say the same.
 */

/** Words, not symbols: serial consoles and screen readers read them reliably. */
export const verdictWord: Record<Verdict, string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL', info: 'info' };

export const stepStateWord: Record<StepState, string> = {
  pending: 'pending',
  running: 'running',
  done: 'done',
  failed: 'FAILED',
  skipped: 'skipped',
};

export interface CheckColumns {
  name: number;
  measured: number;
  required: number;
}

/** Width of each column: the longest cell or header, capped so one long value cannot push the verdict off screen. */
export function checkColumns(rows: CheckRow[], cap = 40): CheckColumns {
  const width = (header: string, cells: string[]) => Math.min(cap, Math.max(header.length, ...cells.map((cell) => cell.length)));
  return {
    name: width('Check', rows.map((row) => row.name)),
    measured: width('Measured', rows.map((row) => row.measured)),
    required: width('Required', rows.map((row) => row.required)),
  };
}

/** An aligned table: one line per check, the fix indented under a warn or fail. */
export function checkLines(title: string, rows: CheckRow[]): string[] {
  const columns = checkColumns(rows);
  const line = (name: string, measured: string, required: string, verdict: string) =>
    `  ${name.padEnd(columns.name)}  ${measured.padEnd(columns.measured)}  ${required.padEnd(columns.required)}  ${verdict}`.trimEnd();
  const lines = [title, line('Check', 'Measured', 'Required', 'Verdict')];
  for (const row of rows) {
    lines.push(line(row.name, row.measured, row.required, verdictWord[row.verdict]));
    if (row.fix && (row.verdict === 'fail' || row.verdict === 'warn')) lines.push(`      fix: ${row.fix}`);
  }
  lines.push(`  ${checksTally(rows)}`);
  return lines;
}

/** `12 checks: 1 failed, 2 warnings`. */
export function checksTally(rows: CheckRow[]): string {
  const failed = rows.filter((row) => row.verdict === 'fail').length;
  const warned = rows.filter((row) => row.verdict === 'warn').length;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${plural(rows.length, 'check')}: ${failed} failed, ${plural(warned, 'warning')}`;
}

/** The plan as numbered actions and notes; the diffs follow as they are. */
export function planLines(plan: Plan, diffs: string): string[] {
  const lines = [`${plan.title} (${plan.actions.length} actions)`];
  plan.actions.forEach((action, index) => {
    lines.push(`  ${String(index + 1).padStart(2)}. ${actionLine(action)}`);
    for (const detail of actionDetail(action)) lines.push(`        ${detail}`);
  });
  if (plan.notes.length > 0) {
    lines.push('  Notes:');
    for (const note of plan.notes) lines.push(`    - ${note}`);
  }
  if (diffs.trim() !== '') lines.push('', ...diffs.trimEnd().split('\n'));
  return lines;
}

/** `[3/7]` for an action known from its start event, `[?]` otherwise. */
export function counter(position: { index: number; total: number } | undefined): string {
  return position ? `[${position.index}/${position.total}]` : '[?]';
}

/** Whole percent, clamped to 0..100. */
export function percentText(percent: number): string {
  return `${Math.round(Math.min(100, Math.max(0, percent)))}%`;
}

/** The line for a finished, skipped or failed action: `[3/7] Installing packages ... done`. */
export function actionEndLine(event: Exclude<ProgressEvent, { type: 'start' | 'progress' }>, position: { index: number; total: number } | undefined): string {
  const head = `${counter(position)} ${event.title} ...`;
  switch (event.type) {
    case 'done':
      return event.note ? `${head} done (${event.note})` : `${head} done`;
    case 'skipped':
      return `${head} skipped: ${event.reason}`;
    case 'failed':
      return `${head} FAILED: ${event.message}`;
  }
}
