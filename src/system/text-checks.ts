/**
 * Checks on text that ends up in a file, an argv or a terminal: control characters, byte
 * lengths, path parts. Each returns what is wrong in words (or undefined), so a field's check,
 * a file writer and a flag check all say the same thing about the same value.
 */

/** Linux limits: a path part (NAME_MAX) and a whole path (PATH_MAX less the final NUL). */
export const NAME_MAX_BYTES = 255;
export const PATH_MAX_BYTES = 4095;

export const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

const names: Record<string, string> = { '\n': 'a line break', '\r': 'a carriage return', '\t': 'a tab', '\0': 'a NUL byte', '\x1b': 'an escape character' };
const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The first control character in `text`, described (undefined when there is none). With
 * `format` also invisible formatting characters (bidi overrides, zero-width): a path or a name
 * that reads differently from what it is.
 */
export function controlCharacter(text: string, options: { format?: boolean } = {}): string | undefined {
  const pattern = options.format ? /[\p{Cc}\p{Cf}\u2028\u2029]/u : /[\p{Cc}\u2028\u2029]/u;
  const found = pattern.exec(text)?.[0];
  if (found === undefined) return undefined;
  return names[found] ?? `the control character ${codePoint(found)}`;
}

/** Text for a message: control characters escaped, cut to `max` characters with "…". */
export function printable(text: string, max = 160): string {
  const chars = [...text];
  const cut = chars.length > max ? chars.slice(0, max).join('') : text;
  const escaped = cut.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`);
  return chars.length > max ? `${escaped}…` : escaped;
}

/** A value for a message: quoted, control characters escaped, cut to `max` characters. */
export function excerpt(value: string, max = 40): string {
  const length = [...value].length;
  const quoted = printable(value.replace(/["\\]/g, (ch) => `\\${ch}`), max);
  return length > max ? `"${quoted}" (${length} characters)` : `"${quoted}"`;
}

export interface PathRules {
  /** Must start with `/`. */
  absolute?: boolean;
  /** Whole-path limit in bytes (default PATH_MAX). */
  maxBytes?: number;
}

/** What is wrong with a path as text (nothing is looked up on disk). */
export function pathTextProblem(path: string, rules: PathRules = {}): string | undefined {
  if (path === '') return 'is empty';
  const control = controlCharacter(path, { format: true });
  if (control) return `contains ${control}`;
  if (rules.absolute && !path.startsWith('/')) return `${excerpt(path)} is not an absolute path (it must start with /)`;
  const max = rules.maxBytes ?? PATH_MAX_BYTES;
  if (byteLength(path) > max) return `is ${byteLength(path)} bytes long, more than the ${max} a path may have here`;
  const long = path.split('/').find((part) => byteLength(part) > NAME_MAX_BYTES);
  if (long !== undefined) return `has a part of ${byteLength(long)} bytes (${excerpt(long, 20)}); a file or folder name has at most ${NAME_MAX_BYTES}`;
  return undefined;
}
