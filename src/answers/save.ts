import { writeUserFile } from '../system/safe-write.js';
import { isSecret, shortKey } from './coerce.js';
import { sections } from './sections.js';
import { yamlValue } from './template.js';
import type { Answers, FieldSpec } from './types.js';

/**
 * Saves the answers a run used, so the same install can be replayed with `--answers`. A secret's
 * value is never written: only its reference (env:NAME, file:PATH) can be, so a saved file can be
 * shared, committed or attached to a ticket without leaking the replication password.
 */
const header = `# ha-install answers, saved from a run. Replay it with:  sudo ha-install --answers FILE
# Secrets are never saved, only where to find them (env:NAME or file:PATH).
`;

/** The environment variable a replay reads a typed-in secret from: HA_BACKUP_PASSWORD. */
export const secretEnvName = (spec: FieldSpec) => `HA_${shortKey(spec.key).replaceAll('-', '_').toUpperCase()}`;

function lineFor(spec: FieldSpec, value: unknown, indent: string): string {
  if (spec.type === 'secret') {
    const ref = isSecret(value) ? value.ref : undefined;
    if (ref === undefined) {
      // Typed in the wizard: point the replay at an environment variable so it runs unattended.
      const name = secretEnvName(spec);
      return `${indent}# typed in the wizard and not saved: export ${name}=... before replaying (or use file:PATH)\n${indent}${shortKey(spec.key)}: env:${name}`;
    }
    return `${indent}${shortKey(spec.key)}: ${yamlValue(ref)}`;
  }
  return `${indent}${shortKey(spec.key)}: ${yamlValue(value)}`;
}

/** The YAML text of the given answers, nested by section, in the order of the template. */
export function serializeAnswers(answers: Partial<Answers>): string {
  const out = [header];
  for (const section of sections()) {
    const indent = section.name ? '  ' : '';
    const lines = section.fields
      .filter((spec) => answers[spec.prop] !== undefined)
      .map((spec) => lineFor(spec, answers[spec.prop], indent));
    if (lines.length === 0) continue;
    if (section.name) out.push(`${section.name}:`);
    out.push(...lines);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Writes the answers file with mode 0600 through the one writer of user-given paths: no link
 * followed, an existing file replaced only with `force` (then with mode 0600 too).
 */
export function saveAnswers(path: string, answers: Partial<Answers>, force = false): void {
  writeUserFile(path, serializeAnswers(answers), { flag: '--save-answers', force, mode: 0o600 });
}
