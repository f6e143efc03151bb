import { actionDetail, actionLine } from '../engine/plan-printer.js';
import type { Plan, ProgressEvent } from '../engine/actions.js';
import type { CheckRow, StepState, Verdict } from './prompter.js';
import { defaultWidth, textWidth, wrapLine } from '../system/wrap.js';

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

/** The verdict column: "Verdict" and the widest mark ("! warn", "✖ fail") fit in it. */
export const verdictWidth = 7;
/** The table's indent and the two spaces between its four columns. */
const tableChrome = 2 + 3 * 2;

const longestWord = (text: string) => Math.max(0, ...text.split(' ').map(textWidth));

/**
 * Width of each column so that the table fits `width` (80 unless the terminal says otherwise).
 * Each column gets at least its longest word, so cells wrap between words, never inside one.
 * Of the ways to share the rest, the one with the fewest table lines wins (then the fewest
 * wrapped cells): a table is at most a few rows, so trying every split costs nothing.
 */
export function checkColumns(rows: CheckRow[], width = defaultWidth): CheckColumns {
  const headers = ['Check', 'Measured', 'Required'];
  const table = [headers, ...rows.map((row) => [row.name, row.measured, row.required])];
  const want = headers.map((_, index) => Math.max(...table.map((cells) => textWidth(cells[index]!))));
  const least = headers.map((_, index) => Math.max(...table.map((cells) => longestWord(cells[index]!))));
  const room = width - tableChrome - verdictWidth;
  if (want[0]! + want[1]! + want[2]! <= room) return { name: want[0]!, measured: want[1]!, required: want[2]! };
  const cost = (widths: number[]) => {
    let lines = 0;
    let cells = 0;
    for (const row of table) {
      const heights = row.map((cell, index) => cellLines(cell, widths[index]!).length);
      lines += Math.max(...heights);
      cells += heights.reduce((sum, h) => sum + h, 0);
    }
    return lines * 1000 + cells;
  };
  let best = least;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let name = least[0]!; name <= want[0]!; name++) {
    for (let required = least[2]!; required <= want[2]!; required++) {
      const measured = Math.min(want[1]!, room - name - required);
      if (measured < least[1]!) break;
      const widths = [name, measured, required];
      const total = cost(widths);
      if (total < bestCost) [best, bestCost] = [widths, total];
    }
  }
  return { name: best[0]!, measured: best[1]!, required: best[2]! };
}

/** A cell's lines at its column's width, broken at spaces. */
export const cellLines = (text: string, width: number): string[] => wrapLine(text, width, 0);

/** An aligned table that fits `width`: a row's cells wrap within their columns, the fix is indented under a warn or fail. */
export function checkLines(title: string, rows: CheckRow[], width = defaultWidth): string[] {
  const columns = checkColumns(rows, width);
  const widths = [columns.name, columns.measured, columns.required];
  const row = (cells: string[], verdict: string) => {
    const wrapped = cells.map((cell, index) => cellLines(cell, widths[index]!));
    const height = Math.max(...wrapped.map((cell) => cell.length));
    return Array.from({ length: height }, (_, line) =>
      `  ${wrapped.map((cell, index) => (cell[line] ?? '').padEnd(widths[index]!)).join('  ')}  ${line === 0 ? verdict : ''}`.trimEnd(),
    );
  };
  const lines = [title, ...row(['Check', 'Measured', 'Required'], 'Verdict')];
  for (const check of rows) {
    lines.push(...row([check.name, check.measured, check.required], verdictWord[check.verdict]));
    if (check.fix && (check.verdict === 'fail' || check.verdict === 'warn')) lines.push(...wrapLine(`      fix: ${check.fix}`, width, 11));
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
