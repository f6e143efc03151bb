import { existsSync, readFileSync } from 'node:fs';
import type { Action, Plan } from './actions.js';
import { describeCommand } from '../system/exec.js';
import { replaceBlock, unifiedDiff } from './text.js';

function current(path: string): string | undefined {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined; // unreadable (not root): the dry run shows the new content only
  }
}

/** File modes as the README and chmod write them: 0600, 0644. */
export const modeText = (mode: number) => mode.toString(8).padStart(4, '0');

/** One line per action, as the plan screen lists them. Each says a thing once. */
export function actionLine(action: Action): string {
  switch (action.kind) {
    case 'packages':
      return action.install.length === 0
        ? `${action.title}: nothing to do, already installed: ${action.present.join(', ')}`
        : `${action.title}: ${action.manager} install ${action.install.join(' ')}${action.present.length ? ` (already installed: ${action.present.join(', ')})` : ''}`;
    case 'file': {
      const where = action.title.includes(action.path) ? '' : ` ${action.path}`;
      return `${action.title}${where} (mode ${modeText(action.mode)}${action.owner ? `, owner ${action.owner}` : ''})`;
    }
    case 'block':
      return `${action.title}: ${action.path.includes('/') && action.title.includes(action.path) ? '' : `${action.path}, `}block "# BEGIN ${action.marker}"`;
    case 'command':
      return `${action.title}: ${action.user ? `as ${action.user}: ` : ''}${describeCommand(action.argv)}`;
    case 'move-aside':
      return action.title.includes(action.path) ? `${action.title} (kept, never deleted)` : `${action.title}: move ${action.path} aside (kept, never deleted)`;
    case 'step':
      return action.title;
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
  return '';
}

/** The whole plan as text: numbered actions with their details, then every file diff. */
export function renderPlan(plan: Plan): { summary: string; diffs: string } {
  const lines = [plan.title, ''];
  plan.actions.forEach((action, index) => {
    lines.push(`${String(index + 1).padStart(2)}. ${actionLine(action)}`);
    if (action.kind === 'step') for (const detail of action.detail) lines.push(`      ${detail}`);
  });
  if (plan.actions.length === 0) lines.push('   Nothing to do: the machine is already as planned.');
  if (plan.notes.length > 0) lines.push('', ...plan.notes.map((n) => `   note: ${n}`));
  const diffs = plan.actions.map(actionDiff).filter((d) => d !== '').join('\n\n');
  return { summary: lines.join('\n'), diffs };
}
