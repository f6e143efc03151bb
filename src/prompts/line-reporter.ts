import type { ProgressEvent } from '../engine/actions.js';
import type { Reporter, StepInfo } from './prompter.js';
import { actionDetail, actionLine } from '../engine/plan-printer.js';
import { actionEndLine, checkLines, counter, percentText, planLines } from './report-lines.js';
import { defaultWidth, wrapLine } from '../system/wrap.js';

export interface LineReporterOptions {
  /** Receives one finished line at a time, without the newline. */
  write: (line: string) => void;
  /** One JSON object per line instead of text. */
  json?: boolean;
  /** Mentioned once, before the first line. */
  logPath?: string;
  /** Clock for throttling detail-only progress lines. */
  now?: () => number;
  /**
   * The terminal's width, asked at each line (it may be resized): lines wrap at spaces to fit it.
   * Undefined (a pipe, a log file): lines stay whole, for grep; tables still fit 80 columns.
   */
  columns?: () => number | undefined;
}

interface Running {
  index: number;
  total: number;
  title: string;
  /** Tens of percent last printed (-1: none yet), so a line goes out at most every 10%. */
  bucket: number;
  lastPercent?: number;
  lastDetail?: string;
  lastDetailAt: number;
}

const detailInterval = 1000;

/**
 * The reporter of the plain and unattended front ends: every event becomes lines that read well
 * in a serial console, a screen reader, `script` or a CI log; or, with `json`, JSON lines.
 */
export function createLineReporter(options: LineReporterOptions): Omit<Reporter, 'close'> {
  const now = options.now ?? Date.now;
  let steps: StepInfo[] = [];
  const running = new Map<string, Running>();
  let started = false;

  const columns = () => (options.json ? undefined : options.columns?.());
  const line = (text: string) => {
    if (!started && options.logPath && !options.json) options.write(`Log file: ${options.logPath}`);
    started = true;
    const width = columns();
    for (const part of width === undefined ? [text] : wrapLine(text, width)) options.write(part);
  };
  const lines = (texts: string[]) => texts.forEach(line);
  const json = (event: string, fields: object) => line(JSON.stringify({ event, ...fields }));

  const progress = (event: ProgressEvent) => {
    if (event.type === 'start') {
      running.set(event.id, { index: event.index, total: event.total, title: event.title, bucket: -1, lastDetailAt: 0 });
      return options.json ? json('progress', event) : line(`${counter(event)} ${event.title} ...`);
    }
    const action = running.get(event.id);
    if (event.type !== 'progress') {
      running.delete(event.id);
      return options.json ? json('progress', event) : line(actionEndLine(event, action));
    }
    if (!action) return;
    if (options.json) {
      const percent = event.percent === undefined ? undefined : Math.round(event.percent);
      if (percent === action.lastPercent && event.detail === action.lastDetail) return;
      action.lastPercent = percent;
      action.lastDetail = event.detail;
      return json('progress', { ...event, percent });
    }
    const what = event.detail ?? action.title;
    if (event.percent !== undefined) {
      const bucket = Math.floor(Math.min(100, Math.max(0, event.percent)) / 10);
      if (bucket <= action.bucket) return;
      action.bucket = bucket;
      return line(`${counter(action)} ${what} ... ${percentText(event.percent)}`);
    }
    if (event.detail === undefined || event.detail === action.lastDetail || now() - action.lastDetailAt < detailInterval) return;
    action.lastDetail = event.detail;
    action.lastDetailAt = now();
    line(`${counter(action)} ${event.detail}`);
  };

  return {
    setSteps(next) {
      steps = next.map((step) => ({ ...step }));
      if (options.json) json('steps', { steps });
    },
    stepState(id, state, note) {
      const index = steps.findIndex((step) => step.id === id);
      const step = steps[index];
      if (step) Object.assign(step, { state, note });
      const title = step?.title ?? id;
      if (options.json) return json('step', { id, title, state, ...(note ? { note } : {}) });
      const position = `Step ${index + 1}/${steps.length}`;
      if (state === 'running') line(`==> ${position}: ${title}${note ? ` (${note})` : ''}`);
      else if (state === 'failed') line(`==> ${position} FAILED: ${title}${note ? `: ${note}` : ''}`);
      else if (state === 'skipped') line(`==> ${position} skipped: ${title}${note ? ` (${note})` : ''}`);
      else if (state === 'done' && note) line(`    ${title}: ${note}`);
    },
    checks(title, rows) {
      if (options.json) return json('checks', { title, rows });
      lines(['', ...checkLines(title, rows, columns() ?? defaultWidth), '']);
    },
    showPlan(plan, diffs) {
      if (options.json) {
        // What the text plan says of each action, its SQL and commands included: a script reads the same plan.
        const actions = plan.actions.map((action) => ({ id: action.id, kind: action.kind, title: action.title, line: actionLine(action), detail: actionDetail(action) }));
        return json('plan', { title: plan.title, actions, notes: plan.notes, diffs });
      }
      lines(['', ...planLines(plan, diffs), '']);
    },
    progress,
    message(level, text) {
      if (options.json) return json('message', { level, text });
      const prefix = { info: '', success: 'OK: ', warn: 'Warning: ', error: 'Error: ' }[level];
      lines(`${prefix}${text}`.split('\n'));
    },
    summary(title, body) {
      if (options.json) return json('summary', { title, lines: body });
      lines(['', `== ${title} ==`, ...body.map((text) => `  ${text}`), '']);
    },
  };
}

/** The width of a stream that is a terminal; undefined for a pipe or a file. */
export const terminalColumns = (stream: NodeJS.WritableStream) => () => {
  const tty = stream as { isTTY?: boolean; columns?: number };
  return tty.isTTY && tty.columns ? tty.columns : undefined;
};

/** Writes lines to a stream, one `\n` each. */
export const streamWriter = (stream: NodeJS.WritableStream) => (text: string) => {
  stream.write(`${text}\n`);
};
