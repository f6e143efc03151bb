import { existsSync, readFileSync } from 'node:fs';
import type { Action, Plan, SqlTarget } from './actions.js';
import { describeCommand } from '../system/exec.js';
import { removeBlock, replaceBlock, unifiedDiff } from './text.js';

function current(path: string): string | undefined {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined; // unreadable (not root): the dry run shows the new content only
  }
}

export function targetText(target: SqlTarget): string {
  return target.on === 'local' ? `on ${target.version}/${target.cluster}` : `on ${target.host}:${target.port} as ${target.user}`;
}

/** File modes as the README and chmod write them: 0600, 0644. */
export const modeText = (mode: number) => mode.toString(8).padStart(4, '0');

/** One line per action, as the plan screen lists them. Each says a thing once. */
export function actionLine(action: Action): string {
  switch (action.kind) {
    case 'file': {
      const where = action.title.includes(action.path) ? '' : ` ${action.path}`;
      return `${action.title}${where} (mode ${modeText(action.mode)}${action.owner ? `, owner ${action.owner}` : ''})`;
    }
    case 'block':
      return `${action.title}: ${action.path.includes('/') && action.title.includes(action.path) ? '' : `${action.path}, `}block "# BEGIN ${action.marker}"`;
    case 'remove':
      return action.marker === undefined ? `${action.title} (backed up first)` : `${action.title}: ${action.path}, block "# BEGIN ${action.marker}" (backed up first)`;
    case 'command':
      return `${action.title}: ${action.user ? `as ${action.user}: ` : ''}${describeCommand(action.argv)}`;
    case 'move-aside':
      return action.title.includes(action.path) ? `${action.title} (kept, never deleted)` : `${action.title}: move ${action.path} aside (kept, never deleted)`;
    case 'sql':
      return `${action.title} (SQL ${targetText(action.target)})`;
    case 'service':
      return `${action.title}: ${describeCommand(action.command)}`;
    case 'wait':
      return `${action.title} (at most ${action.timeoutSeconds} s)`;
    case 'either':
    case 'step':
      return action.title;
  }
}

const indentSql = (sql: string) => sql.trim().split('\n').map((line) => line.trim()).filter(Boolean);

/** The lines printed under an action: what a step does, the exact SQL, the fallback. */
export function actionDetail(action: Action): string[] {
  switch (action.kind) {
    case 'step':
      return action.detail;
    case 'file':
      return action.validate ? [`checked first with: ${describeCommand(action.validate.map((a) => a.replaceAll('{file}', `${action.path}.ha-install-tmp`)))}; refused, the file stays as it is`] : [];
    case 'service':
      return (action.ifChanged ?? []).map((when) => `if it runs already: ${when.then} only if this run changes ${when.ids.join(', ')}`);
    case 'sql':
      return indentSql(action.shown ?? action.sql);
    case 'wait':
      return [`every ${action.intervalMs} ms, ${targetText(action.target)}:`, ...indentSql(action.sql)];
    case 'either':
      return [
        ...action.first.flatMap((inner) => [`try: ${actionLine(inner)}`, ...actionDetail(inner).map((line) => `  ${line}`)]),
        `if that fails: ${action.why}`,
        ...action.otherwise.flatMap((inner) => [`then: ${actionLine(inner)}`, ...actionDetail(inner).map((line) => `  ${line}`)]),
      ];
    default:
      return [];
  }
}

/** The diff an action would make, or '' for actions that do not edit files. */
export function actionDiff(action: Action): string {
  if (action.kind === 'file') {
    if (action.secret) return `${action.path}: contents hidden (holds a secret), mode ${modeText(action.mode)}`;
    return unifiedDiff(action.path, current(action.path), action.content) || `${action.path}: unchanged`;
  }
  if (action.kind === 'block') {
    const before = current(action.path) ?? '';
    return unifiedDiff(action.path, before, replaceBlock(before, action.marker, action.content, action.position)) || `${action.path}: unchanged`;
  }
  if (action.kind === 'remove') {
    const before = current(action.path);
    if (before === undefined) return `${action.path}: nothing to remove`;
    return action.marker === undefined ? `${action.path}: removed (a backup is kept)` : unifiedDiff(action.path, before, removeBlock(before, action.marker)) || `${action.path}: unchanged`;
  }
  if (action.kind === 'either') return [...action.first, ...action.otherwise].map(actionDiff).filter((d) => d !== '').join('\n\n');
  return '';
}

/** Each file change of an action, a fallback's branches unfolded. */
function diffsOf(action: Action): string[] {
  return action.kind === 'either' ? [...action.first, ...action.otherwise].flatMap(diffsOf) : [actionDiff(action)].filter((d) => d !== '');
}

/** The whole plan as text: numbered actions with their details, then every file diff. */
export function renderPlan(plan: Plan): { summary: string; diffs: string } {
  const lines = [plan.title, ''];
  plan.actions.forEach((action, index) => {
    lines.push(`${String(index + 1).padStart(2)}. ${actionLine(action)}`);
    for (const detail of actionDetail(action)) lines.push(`      ${detail}`);
  });
  if (plan.actions.length === 0) lines.push('   Nothing to do: the machine is already as planned.');
  if (plan.notes.length > 0) lines.push('', ...plan.notes.map((n) => `   note: ${n}`));
  // A file written on either branch of a fallback, and after it, is one change: shown once.
  const diffs = [...new Set(plan.actions.flatMap(diffsOf))].join('\n\n');
  return { summary: lines.join('\n'), diffs };
}
