import { useRef, useState } from 'react';
import { Text, useInput } from 'ink';

interface Line {
  value: string;
  cursor: number;
}

const backspace = (line: Line): Line =>
  line.cursor === 0 ? line : { value: line.value.slice(0, line.cursor - 1) + line.value.slice(line.cursor), cursor: line.cursor - 1 };
const insert = (line: Line, text: string): Line => ({ value: line.value.slice(0, line.cursor) + text + line.value.slice(line.cursor), cursor: line.cursor + text.length });

/**
 * One line of text, optionally masked. Ink hands a chunk of keys over as one string (a paste,
 * or Backspace held down), so each character is taken on its own: DEL and ^H erase, CR or LF
 * submits, other control characters never reach the value.
 */
export function LineInput(props: { initial?: string; mask?: boolean; placeholder?: string; onChange: (value: string) => void; onSubmit: (value: string) => void }) {
  const [line, setLine] = useState<Line>(() => ({ value: props.initial ?? '', cursor: (props.initial ?? '').length }));
  // Keys of one chunk are handled before React re-renders: the ref is never stale.
  const current = useRef(line);
  const commit = (next: Line) => {
    if (next === current.current) return;
    current.current = next;
    setLine(next);
    props.onChange(next.value);
  };
  useInput((input, key) => {
    let next = current.current;
    if (key.upArrow || key.downArrow || key.tab || (key.ctrl && input === 'c')) return;
    if (key.return) return props.onSubmit(next.value);
    if (key.leftArrow) next = { ...next, cursor: Math.max(0, next.cursor - 1) };
    else if (key.rightArrow) next = { ...next, cursor: Math.min(next.value.length, next.cursor + 1) };
    else if (key.home) next = { ...next, cursor: 0 };
    else if (key.end) next = { ...next, cursor: next.value.length };
    else if (key.backspace || key.delete) next = backspace(next);
    else if (key.ctrl && input === 'u') next = { value: '', cursor: 0 };
    else if (!key.ctrl && !key.meta) {
      for (const char of input) {
        if (char === '\r' || char === '\n') {
          commit(next);
          return props.onSubmit(next.value);
        }
        if (char === '\u007F' || char === '\b') next = backspace(next);
        else if (char >= ' ') next = insert(next, char);
      }
    }
    commit(next);
  });
  if (line.value === '' && props.placeholder) {
    return (
      <Text>
        <Text inverse>{props.placeholder[0]}</Text>
        <Text dimColor>{props.placeholder.slice(1)}</Text>
      </Text>
    );
  }
  const shown = props.mask ? '*'.repeat(line.value.length) : line.value;
  return (
    <Text>
      {shown.slice(0, line.cursor)}
      <Text inverse>{shown[line.cursor] ?? ' '}</Text>
      {shown.slice(line.cursor + 1)}
    </Text>
  );
}
