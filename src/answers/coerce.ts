import { checkAddress } from '../system/address.js';
import { byteLength, controlCharacter, excerpt } from '../system/text-checks.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_ITEMS, modeNumbers, type FieldSpec, type Secret } from './types.js';

/**
 * Turns one raw value (from YAML, JSON, a flag or a typed prompt answer) into the field's type.
 * Strings are accepted wherever a number or boolean is expected because prompts and flags only
 * ever produce strings; the file and the prompt must agree on what is valid.
 */
export type Coerced = { ok: true; value: unknown } | { ok: false; message: string; fix: string };

const yes = new Set(['true', 'yes', 'y', 'on']);
const no = new Set(['false', 'no', 'n', 'off']);

function range(spec: FieldSpec): string {
  if (spec.min !== undefined && spec.max !== undefined) return ` from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return ` of at least ${spec.min}`;
  if (spec.max !== undefined) return ` of at most ${spec.max}`;
  return '';
}

/** What the field wants, in words: the first half of every type error. */
export function expectedText(spec: FieldSpec): string {
  switch (spec.type) {
    case 'integer':
      return `a whole number${range(spec)}`;
    case 'number':
      return `a number${range(spec)}`;
    case 'boolean':
      return 'true or false (yes or no)';
    case 'enum':
      return spec.key === 'mode'
        ? `one of ${spec.values?.join(', ')} (or their numbers 1 to 4)`
        : `one of ${spec.values?.join(', ')}`;
    case 'address':
      return 'an IP address or a host name';
    case 'secret':
      return 'env:NAME, file:PATH or the password itself';
    case 'string-list':
      return 'a list of names, e.g. [htop, tmux]';
    default:
      return 'text';
  }
}

/** Describes what was given. Secrets are described by kind only, never by value. */
export function describeGiven(value: unknown, secret = false): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (secret) return `a ${typeof value}`;
  return typeof value === 'string' ? excerpt(value) : String(value).slice(0, 40);
}

/** The last segment of a dotted key: how the key is spelled inside its section. */
export function shortKey(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

/** The flag itself, `--mode` of `--mode <mode>`. */
export const flagName = (spec: FieldSpec): string | undefined => spec.flag?.split(' ')[0];

/** The fix for a wrong value given on the command line: the flag as it should be typed, not answers-file syntax. */
export function flagFix(spec: FieldSpec): string {
  const sample = spec.example ?? spec.default;
  // The message already says what is expected: the fix shows it typed.
  return sample === undefined ? `give ${flagName(spec)} ${expectedText(spec)}` : `e.g. ${flagName(spec)} ${String(sample)}`;
}

function wrongType(spec: FieldSpec, value: unknown): Coerced {
  const sample = spec.example ?? spec.default;
  const fix = sample === undefined || spec.type === 'secret' ? `give ${expectedText(spec)}` : `e.g. ${shortKey(spec.key)}: ${JSON.stringify(sample)}`;
  return { ok: false, message: `expected ${expectedText(spec)}, got ${describeGiven(value, spec.type === 'secret')}`, fix };
}

function toNumber(spec: FieldSpec, value: unknown): Coerced {
  const text = typeof value === 'string' ? value.trim() : undefined;
  const pattern = spec.type === 'integer' ? /^[-+]?\d+$/ : /^[-+]?(\d+\.?\d*|\.\d+)$/;
  const number = typeof value === 'number' ? value : text !== undefined && pattern.test(text) ? Number(text) : Number.NaN;
  const whole = spec.type !== 'integer' || Number.isInteger(number);
  if (!Number.isFinite(number) || !whole) return wrongType(spec, value);
  if ((spec.min !== undefined && number < spec.min) || (spec.max !== undefined && number > spec.max)) return wrongType(spec, value);
  return { ok: true, value: number };
}

/** Text that lands in a file or an argv: one line, bounded. Undefined when it is fine. */
export function textProblem(spec: FieldSpec, text: string, what = 'it'): { ok: false; message: string; fix: string } | undefined {
  const control = controlCharacter(text, { format: true });
  if (control) return { ok: false, message: `contains ${control}`, fix: `write ${what} on one line, without control characters` };
  const max = spec.maxBytes ?? DEFAULT_MAX_BYTES;
  const bytes = byteLength(text);
  if (bytes > max) return { ok: false, message: `${describeGiven(text)} is ${bytes} bytes long; at most ${max} are accepted`, fix: `shorten ${what} to ${max} bytes or fewer` };
  return undefined;
}

function toList(spec: FieldSpec, value: unknown): Coerced {
  // A prompt or a flag gives "htop, tmux"; the file gives a YAML list.
  const list = typeof value === 'string' ? value.split(/[\s,]+/).filter((s) => s !== '') : value;
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) return wrongType(spec, value);
  const max = spec.maxItems ?? DEFAULT_MAX_ITEMS;
  if (list.length > max) return { ok: false, message: `has ${list.length} items; at most ${max} are accepted`, fix: `list at most ${max}` };
  for (const item of list) {
    const wrong = textProblem(spec, item, 'each item');
    if (wrong) return wrong;
  }
  return { ok: true, value: list };
}

/** Types one value; range limits are part of the type so the message says the whole rule. */
export function coerceValue(spec: FieldSpec, value: unknown): Coerced {
  switch (spec.type) {
    case 'integer':
    case 'number':
      return toNumber(spec, value);
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      if (word !== undefined && yes.has(word)) return { ok: true, value: true };
      if (word !== undefined && no.has(word)) return { ok: true, value: false };
      return wrongType(spec, value);
    }
    case 'enum': {
      const word = typeof value === 'number' || typeof value === 'string' ? String(value).trim() : undefined;
      if (word === undefined) return wrongType(spec, value);
      if (spec.key === 'mode' && modeNumbers[word] !== undefined) return { ok: true, value: modeNumbers[word] };
      const match = spec.values?.find((v) => v === word.toLowerCase());
      return match === undefined ? wrongType(spec, value) : { ok: true, value: match };
    }
    case 'string-list':
      return toList(spec, value);
    case 'address': {
      if (typeof value !== 'string' || value.trim() === '') return wrongType(spec, value);
      const tooLong = textProblem(spec, value.trim());
      if (tooLong) return tooLong;
      // Canonical from here on: every comparison and every file sees one spelling of an address.
      const address = checkAddress(value);
      return address.ok ? { ok: true, value: address.value } : { ok: false, message: address.message, fix: address.fix };
    }
    case 'secret': {
      // Only the typed form is checked here; env:/file:/plain references are resolved by secrets.ts.
      if (isSecret(value)) return { ok: true, value };
      if (typeof value === 'string' && value !== '') return { ok: true, value: { source: 'prompt', value } satisfies Secret };
      return wrongType(spec, value);
    }
    default: {
      if (typeof value !== 'string' || value.trim() === '') return wrongType(spec, value);
      return textProblem(spec, value.trim()) ?? { ok: true, value: value.trim() };
    }
  }
}

export function isSecret(value: unknown): value is Secret {
  return typeof value === 'object' && value !== null && typeof (value as Secret).value === 'string' && typeof (value as Secret).source === 'string';
}
