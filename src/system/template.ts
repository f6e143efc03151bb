import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './runtime.js';

/**
 * The one template language of templates/ (systemd units, the HAProxy configuration), small
 * enough for an admin to write their own: `{{name}}` is replaced by a value, `{{#name}}...{{/name}}`
 * is kept only when `name` has a value (not empty, not false), `{{^name}}...{{/name}}` only when
 * it has none. A name the renderer does not know is an error, not an empty string: a typo in a
 * custom template must not become a configuration with a hole in it.
 */
export type TemplateValues = Record<string, string | number | boolean | undefined>;

const TAG = /\{\{([#^/]?)\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

/** What is wrong with a template given the names it may use; empty when it renders. */
export function templateProblems(text: string, known: readonly string[]): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  for (const match of text.matchAll(TAG)) {
    const [, sigil, name] = match as unknown as [string, string, string];
    const line = text.slice(0, match.index).split('\n').length;
    if (!known.includes(name)) problems.push(`line ${line}: {{${sigil}${name}}} is not a known name (known: ${known.join(', ')})`);
    if (sigil === '#' || sigil === '^') open.push(name);
    else if (sigil === '/' && open.pop() !== name) problems.push(`line ${line}: {{/${name}}} closes a section that is not open`);
  }
  for (const name of open) problems.push(`{{#${name}}} is never closed with {{/${name}}}`);
  const stray = /\{\{(?![#^/]?\s*[a-z_][a-z0-9_]*\s*\}\})/.exec(text);
  if (stray) problems.push(`line ${text.slice(0, stray.index).split('\n').length}: "{{" that is not a {{name}} tag`);
  return problems;
}

const hasValue = (value: TemplateValues[string]) => value !== undefined && value !== false && value !== '';

/** Renders `text`; throws when templateProblems would report anything. */
export function renderTemplate(text: string, values: TemplateValues, source: string): string {
  const problems = templateProblems(text, Object.keys(values));
  if (problems.length > 0) throw new Error(`The template ${source} cannot be rendered: ${problems.join('; ')}`);
  let out = text;
  // Innermost sections first, until none is left. A tag alone on its line takes its line
  // break with it; a section within a line (`After=x{{#after}} {{after}}{{/after}}`) keeps the line's.
  const section = /\{\{([#^])\s*([a-z_][a-z0-9_]*)\s*\}\}(\n?)((?:(?!\{\{[#^])[\s\S])*?)\{\{\/\s*\2\s*\}\}(\n?)/;
  for (let m = section.exec(out); m; m = section.exec(out)) {
    const [whole, sigil, name, openBreak, inner, closeBreak] = m as unknown as [string, string, string, string, string, string];
    const openAlone = openBreak === '\n' && (m.index === 0 || out[m.index - 1] === '\n');
    const body = openAlone ? inner : openBreak + inner;
    const closeAlone = closeBreak === '\n' && (body === '' ? openAlone : body.endsWith('\n'));
    const keep = hasValue(values[name]) === (sigil === '#');
    out = out.slice(0, m.index) + (keep ? body : '') + (closeAlone ? '' : closeBreak) + out.slice(m.index + whole.length);
  }
  return out.replace(TAG, (_tag, _sigil: string, name: string) => String(values[name] ?? ''));
}

/** A template shipped in templates/ (the clone, the installed package or a runtime copy). */
export function shippedTemplate(relative: string): string {
  return readFileSync(join(packageRoot(), 'templates', relative), 'utf8');
}
