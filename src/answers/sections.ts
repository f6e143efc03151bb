import { fields } from './schema.js';
import type { FieldSpec } from './types.js';

/**
 * The answers file's shape: top-level keys first, then one section per dotted prefix, each in
 * the order of `fields`. The template and saved answers share it so that a saved file reads
 * like the template it came from.
 */
export interface Section {
  /** `postgresql` for `postgresql.port`; undefined for the top-level keys. */
  name?: string;
  fields: FieldSpec[];
}

export function sections(list: FieldSpec[] = fields): Section[] {
  const top: Section = { fields: [] };
  const named = new Map<string, Section>();
  for (const spec of list) {
    const dot = spec.key.indexOf('.');
    if (dot < 0) {
      top.fields.push(spec);
      continue;
    }
    const name = spec.key.slice(0, dot);
    if (!named.has(name)) named.set(name, { name, fields: [] });
    named.get(name)!.fields.push(spec);
  }
  return [top, ...named.values()];
}
