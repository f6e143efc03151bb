/** Pure text helpers for the engine: marked blocks and a unified diff for the dry run. */

export function blockMarkers(marker: string): { begin: string; end: string } {
  return { begin: `# BEGIN ${marker}`, end: `# END ${marker}` };
}

/**
 * Puts `content` between `# BEGIN marker` and `# END marker`, replacing an existing block so
 * a re-run never duplicates lines. A new block goes at the top (pg_hba.conf: first match
 * wins, so our narrow rules must come before a broad reject) or at the bottom.
 */
export function replaceBlock(text: string, marker: string, content: string, position: 'top' | 'bottom'): string {
  const { begin, end } = blockMarkers(marker);
  const block = `${begin}\n${content.trimEnd()}\n${end}\n`;
  const lines = text.split('\n');
  const start = lines.indexOf(begin);
  const stop = start === -1 ? -1 : lines.indexOf(end, start);
  if (start !== -1 && stop !== -1) {
    const before = lines.slice(0, start).join('\n');
    const after = lines.slice(stop + 1).join('\n');
    return (before ? `${before}\n` : '') + block + after.replace(/^\n/, '');
  }
  if (position === 'top') return block + text;
  return (text === '' || text.endsWith('\n') ? text : `${text}\n`) + block;
}

/** The text without the block `# BEGIN marker` ... `# END marker` (unchanged when it has none). */
export function removeBlock(text: string, marker: string): string {
  const { begin, end } = blockMarkers(marker);
  const lines = text.split('\n');
  const start = lines.indexOf(begin);
  const stop = start === -1 ? -1 : lines.indexOf(end, start);
  if (start === -1 || stop === -1) return text;
  return [...lines.slice(0, start), ...lines.slice(stop + 1)].join('\n');
}

type Op = { kind: ' ' | '-' | '+'; line: string };

function diffLines(a: string[], b: string[]): Op[] {
  // Longest common subsequence: config files are small (hundreds of lines), so O(n*m) is fine.
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) ops.push({ kind: ' ', line: a[i++]! }), j++;
    else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) ops.push({ kind: '-', line: a[i++]! });
    else ops.push({ kind: '+', line: b[j++]! });
  }
  while (i < n) ops.push({ kind: '-', line: a[i++]! });
  while (j < m) ops.push({ kind: '+', line: b[j++]! });
  return ops;
}

/** A unified diff with 2 lines of context; empty string when nothing changes. */
export function unifiedDiff(path: string, before: string | undefined, after: string, context = 2): string {
  if (before === after) return '';
  const a = before === undefined || before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const ops = diffLines(a, b);
  const keep = ops.map((op, index) => op.kind !== ' ' || ops.slice(Math.max(0, index - context), index + context + 1).some((o) => o.kind !== ' '));
  const out = [`--- ${before === undefined ? '/dev/null' : path}`, `+++ ${path}`];
  let skipping = false;
  ops.forEach((op, index) => {
    if (keep[index]) {
      out.push(`${op.kind}${op.line}`);
      skipping = false;
    } else if (!skipping) {
      out.push('@@ ... @@');
      skipping = true;
    }
  });
  return out.join('\n');
}
