import { statSync } from 'node:fs';
import type { Problem } from '../system/errors.js';
import { coerceValue, describeGiven, flagFix, flagName, shortKey, type Coerced } from './coerce.js';
import { fieldByKey, fields } from './schema.js';
import { resolveSecret } from './secrets.js';
import { suggestKey } from './suggest.js';
import type { AnswerKey, Answers, CommandName, FieldSpec } from './types.js';

/**
 * Validates a parsed answers file, plus the command-line flags, reporting every problem at once:
 * an unattended run that stops at the first mistake costs the admin one round trip per typo.
 *
 * The file is nested by section, as the template writes it (`postgresql:` then `  port: 5432`).
 * Dotted keys at the top level (`postgresql.port: 5432`) are refused with a hint to nest them:
 * one spelling keeps the files, the docs and the saved answers alike. An empty value (`key:`)
 * counts as not given. Defaults are not applied here (resolve.ts does), so the result holds only
 * what the file and the flags gave, flags winning.
 */
export interface ValidateOptions {
  filePath?: string;
  /** The answers file's permission bits; read from filePath when omitted. */
  fileMode?: number;
  env?: NodeJS.ProcessEnv;
  flags?: Partial<Answers>;
  /** The command the answers are for: what is required depends on it (default: install). */
  command?: CommandName;
}

export interface ValidatedAnswers {
  answers: Partial<Answers>;
  problems: Problem[];
}

const sectionNames = new Set(fields.filter((f) => f.key.includes('.')).map((f) => f.key.slice(0, f.key.indexOf('.'))));
const knownKeys = [...fields.map((f) => f.key), ...sectionNames];
const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Type, limits and the field's own check, for one value: shared by the file and the prompts. */
export function checkValue(spec: FieldSpec, raw: unknown, known: Partial<Answers>): Coerced {
  const typed = coerceValue(spec, raw);
  if (!typed.ok) return typed;
  const wrong = spec.check?.(typed.value as never, known);
  return wrong ? { ok: false, ...wrong } : typed;
}

function unknownKey(key: string): Problem {
  // Only a top-level `postgresql.port:` can be a known key here: nested keys were looked up already.
  if (fieldByKey.has(key)) {
    const section = key.slice(0, key.indexOf('.'));
    return { field: key, message: 'dotted keys are not read at the top level', fix: `nest it: write "${section}:" and under it, indented, "${shortKey(key)}: ..."` };
  }
  const guess = suggestKey(key, knownKeys);
  return guess
    ? { field: key, message: `unknown key; did you mean \`${guess}\`?`, fix: `rename it to ${guess.includes('.') ? `"${shortKey(guess)}" under "${guess.split('.')[0]}:"` : `"${guess}"`}` }
    : { field: key, message: 'unknown key', fix: 'remove it; `ha-install answers init` lists every key' };
}

/** Flattens the nested file into field -> raw value, reporting unknown keys and misplaced sections. */
function collect(raw: unknown, filePath: string | undefined, problems: Problem[]): Map<FieldSpec, unknown> {
  const given = new Map<FieldSpec, unknown>();
  if (raw === null || raw === undefined) return given;
  if (!isMapping(raw)) {
    problems.push({ field: filePath ?? 'answers', message: `expected a mapping of keys such as "mode: master", got ${describeGiven(raw)}`, fix: 'start from `ha-install answers init`' });
    return given;
  }
  for (const [key, value] of Object.entries(raw)) {
    const spec = fieldByKey.get(key);
    if (spec && !key.includes('.')) given.set(spec, value);
    else if (sectionNames.has(key)) {
      if (value === null) continue;
      if (!isMapping(value)) {
        problems.push({ field: key, message: 'is a section: expected its keys indented under it', fix: `e.g. "${key}:" and on the next line "  ${shortKey(fields.find((f) => f.key.startsWith(`${key}.`))!.key)}: ..."` });
        continue;
      }
      for (const [inner, innerValue] of Object.entries(value)) {
        const dotted = `${key}.${inner}`;
        const innerSpec = fieldByKey.get(dotted);
        if (innerSpec) given.set(innerSpec, innerValue);
        else problems.push(unknownKey(dotted));
      }
    } else problems.push(unknownKey(key));
  }
  return given;
}

function fileModeOf(path: string | undefined): number | undefined {
  if (path === undefined) return undefined;
  try {
    return statSync(path).mode;
  } catch {
    return undefined; // unreadable files were reported by load.ts; a plaintext secret is then refused
  }
}

function placeholder(spec: FieldSpec): string {
  if (spec.type === 'enum') return `<${spec.values?.join('|')}>`;
  if (spec.type === 'secret') return 'env:NAME';
  return /<[^>]+>/.exec(spec.flag ?? '')?.[0] ?? (spec.type === 'string-list' ? '[name, ...]' : spec.type === 'boolean' ? 'true' : `<${spec.type === 'string' ? 'text' : spec.type}>`);
}

function missing(spec: FieldSpec, mode: string | undefined, command: CommandName): Problem {
  const line = `${shortKey(spec.key)}: ${placeholder(spec)}`;
  const where = spec.key.includes('.') ? `"${line}" under "${spec.key.split('.')[0]}:"` : `"${line}"`;
  const flag = spec.flag ? ` or pass ${spec.flag.replace(/<[^>]+>/, placeholder(spec))}` : '';
  const why = command !== 'install' ? ` for ${command}` : mode ? ` for mode ${mode}` : '';
  return { field: spec.key, message: `is required${why}`, fix: `add ${where} to the answers file${flag}` };
}

/** A problem with a command-line value: reported under the flag's name. */
export const isFlagProblem = (problem: Problem): boolean => problem.field?.startsWith('--') === true;

export function validateAnswers(raw: unknown, opts: ValidateOptions = {}): ValidatedAnswers {
  const problems: Problem[] = [];
  const command = opts.command ?? 'install';
  const given = collect(raw, opts.filePath, problems);
  const flags = opts.flags ?? {};
  const fileMode = opts.fileMode ?? fileModeOf(opts.filePath);
  const answers: Record<string, unknown> = {};
  const failed = new Set<AnswerKey>();
  const fromFlag = new Set<AnswerKey>();
  // A value from a flag is reported under the flag, which is what the admin typed and will fix.
  const report = (spec: FieldSpec, problem: { message: string; fix?: string }) => {
    failed.add(spec.prop);
    problems.push({ field: fromFlag.has(spec.prop) ? (flagName(spec) ?? spec.key) : spec.key, message: problem.message, fix: problem.fix });
  };

  // Pass 1: type every value, so that pass 2's cross-field checks see all of them.
  for (const spec of fields) {
    const flagValue = flags[spec.prop];
    const fileValue = given.get(spec);
    if (flagValue !== undefined) fromFlag.add(spec.prop);
    const value = flagValue ?? fileValue;
    if (value === undefined || value === null) continue;
    if (spec.type === 'secret' && flagValue === undefined) {
      const { secret, problem } = resolveSecret(value, { key: spec.key, filePath: opts.filePath, fileMode, env: opts.env ?? process.env });
      if (problem) report(spec, problem);
      else answers[spec.prop] = secret;
      continue;
    }
    const typed = coerceValue(spec, value);
    if (typed.ok) answers[spec.prop] = typed.value;
    else report(spec, flagValue === undefined ? typed : { message: typed.message, fix: flagFix(spec) });
  }
  // Pass 2: each field's own check, against everything else given.
  for (const spec of fields) {
    const value = answers[spec.prop];
    const wrong = value === undefined ? undefined : spec.check?.(value as never, answers as Partial<Answers>);
    if (wrong) report(spec, wrong);
  }
  for (const prop of failed) delete answers[prop];
  // Pass 3: what this mode needs and nobody gave; a field already reported is not reported twice.
  const result = answers as Partial<Answers>;
  for (const spec of fields) {
    if (result[spec.prop] === undefined && !failed.has(spec.prop) && spec.required?.(result, command)) problems.push(missing(spec, result.mode, command));
  }
  return { answers: result, problems };
}
