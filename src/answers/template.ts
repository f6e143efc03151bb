import { stringify } from 'yaml';
import { coerceValue, shortKey } from './coerce.js';
import { fields } from './schema.js';
import { sections } from './sections.js';
import type { Answers, FieldSpec } from './types.js';

/**
 * `ha-install answers init`: a commented answers file generated from the schema, so it can never
 * drift from what validate.ts accepts. The keys an HA master needs are written out with example
 * values; every other key is commented out at its default, to be uncommented when changed.
 */
const header = `# ha-install answers file
#
# Run an install with no questions:   sudo ha-install --answers answers.yaml
# Each answer comes from, first found: a command-line flag, this file, the wizard's question
# (interactive runs only), the default. With --answers nothing is asked: every missing or
# invalid answer is reported at once, before anything on the machine is changed.
#
# Secrets (postgresql.backup-password) need not be written here in clear text:
#   env:NAME    read from environment variable NAME (under sudo: sudo -E, or sudo NAME=... ha-install)
#   file:PATH   the first line of file PATH, which must be chmod 600 (relative to this file's folder)
# A password in plain text is accepted only while this file itself is chmod 600.
#
# Lines starting with "# key:" are optional keys shown at their default: remove the "# " to change one.
`;

/** One YAML scalar or flow list, quoted by the yaml package where YAML would misread it. */
export function yamlValue(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
}

/** The example answers of an HA master: decides which keys the template writes out. */
function exampleAnswers(): Partial<Answers> {
  const out: Record<string, unknown> = {};
  for (const spec of fields) {
    if (spec.example === undefined || spec.type === 'secret') continue;
    const typed = coerceValue(spec, spec.example);
    if (typed.ok) out[spec.prop] = typed.value;
  }
  return out as Partial<Answers>;
}

function fieldLines(spec: FieldSpec, examples: Partial<Answers>, indent: string): string[] {
  const lines = [`${indent}# ${spec.description}`];
  const name = shortKey(spec.key);
  if (spec.required?.(examples, 'install') && spec.example !== undefined) lines.push(`${indent}${name}: ${yamlValue(spec.example)}`);
  else if (spec.default !== undefined) lines.push(`${indent}# ${name}: ${yamlValue(spec.default)}`);
  else if (spec.example !== undefined) lines.push(`${indent}# ${name}: ${yamlValue(spec.example)}`);
  // No default and no example: left empty, which counts as not given if uncommented as is.
  else lines.push(`${indent}# ${name}:`);
  return lines;
}

export function answersTemplate(): string {
  const examples = exampleAnswers();
  const out = [header];
  for (const section of sections()) {
    // A section header is never commented: an empty section counts as not given.
    const indent = section.name ? '  ' : '';
    if (section.name) out.push(`${section.name}:`);
    for (const spec of section.fields) out.push(...fieldLines(spec, examples, indent));
    out.push('');
  }
  return out.join('\n');
}
