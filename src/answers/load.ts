import { LineCounter, parseDocument } from 'yaml';
import type { Problem } from '../system/errors.js';
import { readRegularFile } from '../system/safe-read.js';
import { pathTextProblem, printable } from '../system/text-checks.js';

/**
 * Reads an answers file into plain data; validate.ts gives it meaning. `.json` files are JSON,
 * everything else YAML 1.2 (so `yes` is a string and `0644` a decimal, no YAML 1.1 surprises).
 * Syntax errors carry the line and column: the admin fixes the file in an editor, not here.
 *
 * A hostile file gets a refusal, never a hang, a crash or an echo of itself: only regular files
 * up to MAX_ANSWERS_BYTES are read, YAML aliases may expand at most MAX_ALIASES times, and at
 * most MAX_SYNTAX_ERRORS errors are listed, each quoting a short excerpt.
 */
export interface LoadedAnswers {
  /** The parsed data, or undefined when the file could not be read or parsed. */
  raw: unknown;
  problems: Problem[];
}

/** An answers file is a few KiB; the template is 3. */
export const MAX_ANSWERS_BYTES = 256 * 1024;
const MAX_ALIASES = 100;
const MAX_SYNTAX_ERRORS = 5;
const MAX_MESSAGE = 160;

const yamlFix = 'fix the YAML at that place: indent nested keys by two spaces, and quote values that contain ": " or start with a symbol';

function readProblem(path: string, reason: string, detail: string): Problem {
  const fix: Record<string, string> = {
    missing: 'check the path, or write a template with `ha-install answers init > answers.yaml`',
    denied: 'run ha-install with sudo, or give your user read access to the file',
    folder: 'give the path of the YAML or JSON answers file itself',
    'not-regular': 'give the path of a YAML or JSON answers file; pipes and devices are not read',
    'too-large': `an answers file is a few KiB: start from \`ha-install answers init\` (at most ${MAX_ANSWERS_BYTES / 1024} KiB)`,
  };
  return { field: path, message: reason === 'missing' ? 'answers file not found' : `answers file ${detail}`, fix: fix[reason] ?? 'check the path and its permissions' };
}

/** A parser's message, cut and with control characters escaped: it may quote the file. */
const clip = (message: string) => printable(message, MAX_MESSAGE);

/** Line and column (1-based) of a character offset, for JSON errors that only give a position. */
function linePosition(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

function parseJson(path: string, text: string): LoadedAnswers {
  try {
    return { raw: JSON.parse(text), problems: [] };
  } catch (error) {
    const message = (error as Error).message;
    const offset = /at position (\d+)/.exec(message);
    // Node's message already ends in "at position N" or "(line L column C)": replace it with ours.
    const bare = message.replace(/\s*(in JSON )?at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    const where = offset ? linePosition(text, Number(offset[1])) : undefined;
    const at = where ? ` at line ${where.line}, column ${where.col}` : '';
    const deep = error instanceof RangeError;
    return {
      raw: undefined,
      problems: [{ field: path, message: deep ? 'is nested too deeply to be an answers file' : `syntax error${at}: ${clip(bare)}`, fix: deep ? 'start from `ha-install answers init`' : 'fix the JSON at that place (a trailing comma or a missing quote is the usual cause)' }],
    };
  }
}

function parseYaml(path: string, text: string): LoadedAnswers {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { version: '1.2', lineCounter, prettyErrors: false });
  if (document.errors.length === 0) {
    try {
      return { raw: document.toJS({ maxAliasCount: MAX_ALIASES }), problems: [] };
    } catch (error) {
      // yaml refuses an alias bomb (ReferenceError) and the stack refuses absurd nesting (RangeError).
      const aliases = error instanceof ReferenceError;
      const message = aliases ? `its YAML aliases expand to more than ${MAX_ALIASES} copies (an "alias bomb")` : 'is nested too deeply to be an answers file';
      return { raw: undefined, problems: [{ field: path, message, fix: 'write the values out: an answers file needs no anchors (&) or aliases (*)' }] };
    }
  }
  const problems = document.errors.slice(0, MAX_SYNTAX_ERRORS).map((error): Problem => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const deep = /call stack/i.test(error.message);
    return { field: path, message: deep ? `is nested too deeply at line ${line}, column ${col}` : `syntax error at line ${line}, column ${col}: ${clip(error.message)}`, fix: yamlFix };
  });
  const more = document.errors.length - problems.length;
  if (more > 0) problems.push({ field: path, message: `and ${more} more syntax error${more > 1 ? 's' : ''}: this does not look like an answers file`, fix: 'start from `ha-install answers init`' });
  return { raw: undefined, problems };
}

/** Reads and parses an answers file; never throws for a bad file, it reports Problems. */
export function loadAnswersFile(path: string): LoadedAnswers {
  const badPath = pathTextProblem(path);
  if (badPath) return { raw: undefined, problems: [{ field: 'answers file', message: `the path ${badPath}`, fix: 'give the path of the YAML or JSON answers file' }] };
  const read = readRegularFile(path, MAX_ANSWERS_BYTES);
  if (!read.ok) return { raw: undefined, problems: [readProblem(path, read.reason, read.detail)] };
  let text = read.text;
  // Editors on Windows may add a byte-order mark; neither parser wants it.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.includes('\0')) return { raw: undefined, problems: [{ field: path, message: 'contains NUL bytes: it is not a text file', fix: 'give the path of a YAML or JSON answers file' }] };
  return path.toLowerCase().endsWith('.json') ? parseJson(path, text) : parseYaml(path, text);
}
