import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { Problem } from '../system/errors.js';

/**
 * Reads an answers file into plain data; validate.ts gives it meaning. `.json` files are JSON,
 * everything else YAML 1.2 (so `yes` is a string and `0644` a decimal, no YAML 1.1 surprises).
 * Syntax errors carry the line and column: the admin fixes the file in an editor, not here.
 */
export interface LoadedAnswers {
  /** The parsed data, or undefined when the file could not be read or parsed. */
  raw: unknown;
  problems: Problem[];
}

function readProblem(path: string, error: unknown): Problem {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { field: path, message: 'answers file not found', fix: 'check the path, or write a template with `ha-install answers init > answers.yaml`' };
  if (code === 'EACCES') return { field: path, message: 'answers file cannot be read (permission denied)', fix: 'run ha-install with sudo, or give your user read access to the file' };
  if (code === 'EISDIR') return { field: path, message: 'is a folder, not an answers file', fix: 'give the path of the YAML or JSON answers file itself' };
  return { field: path, message: `answers file cannot be read (${code ?? String(error)})`, fix: 'check the path and its permissions' };
}

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
    return { raw: undefined, problems: [{ field: path, message: `syntax error${at}: ${bare}`, fix: 'fix the JSON at that place (a trailing comma or a missing quote is the usual cause)' }] };
  }
}

function parseYaml(path: string, text: string): LoadedAnswers {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { version: '1.2', lineCounter, prettyErrors: false });
  if (document.errors.length === 0) return { raw: document.toJS(), problems: [] };
  const problems = document.errors.map((error): Problem => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { field: path, message: `syntax error at line ${line}, column ${col}: ${error.message}`, fix: 'fix the YAML at that place: indent nested keys by two spaces, and quote values that contain ": " or start with a symbol' };
  });
  return { raw: undefined, problems };
}

/** Reads and parses an answers file; never throws for a bad file, it reports Problems. */
export function loadAnswersFile(path: string): LoadedAnswers {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { raw: undefined, problems: [readProblem(path, error)] };
  }
  // Editors on Windows may add a byte-order mark; neither parser wants it.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  return path.toLowerCase().endsWith('.json') ? parseJson(path, text) : parseYaml(path, text);
}
