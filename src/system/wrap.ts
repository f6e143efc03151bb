/**
 * Word wrapping for what we print ourselves (plain lines, tables, final errors). A terminal
 * wraps an overlong line at its last column, mid-word; we break at spaces instead and indent the
 * continuation so it reads as part of the line above. Widths count code points: everything we
 * print is one column per character (the marks ✔ ✖ ↳ included).
 */

export const defaultWidth = 80;

/** The visible width of a line we wrote (no colours, no wide characters). */
export const textWidth = (text: string): number => [...text].length;

/** Where a continuation line starts: under the text, past the indentation and a list marker (`- `, `• `, `✖ `, `1. `, `fix: `, `==> `). */
export function hangOf(line: string): number {
  return /^ *(?:==> |[-•✖✔] |\d+\. |fix: )?/.exec(line)![0].length;
}

/**
 * Breaks one line into lines of at most `width` at spaces. Continuation lines are indented by
 * `hang` (default: hangOf the line). Only a word longer than a whole line is cut.
 */
export function wrapLine(line: string, width: number, hang?: number): string[] {
  if (textWidth(line) <= width) return [line];
  const leading = /^ */.exec(line)![0];
  const indent = ' '.repeat(Math.min(hang ?? hangOf(line), Math.max(0, width - 10)));
  const words = line.slice(leading.length).split(' ');
  const lines: string[] = [];
  let current = leading;
  let fresh = true; // nothing but indentation on the current line yet
  for (const word of words) {
    const candidate = fresh ? current + word : `${current} ${word}`;
    if (textWidth(candidate) <= width) {
      current = candidate;
      fresh = false;
      continue;
    }
    if (!fresh) lines.push(current);
    let rest = word;
    // A word wider than a line (a long path) is cut: there is no space to break at.
    while (textWidth(indent + rest) > width) {
      const room = width - textWidth(indent);
      lines.push(indent + [...rest].slice(0, room).join(''));
      rest = [...rest].slice(room).join('');
    }
    current = indent + rest;
    fresh = rest === '';
  }
  if (!fresh || lines.length === 0) lines.push(current);
  return lines;
}

/** wrapLine over several lines (a message with newlines). */
export function wrapLines(text: string, width: number, hang?: number): string[] {
  return text.split('\n').flatMap((line) => wrapLine(line, width, hang));
}
