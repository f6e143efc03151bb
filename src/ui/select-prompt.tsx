import { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { PendingPrompt } from './store.js';

const visibleCount = 8;

/** Arrow keys move, Enter chooses. Starts on the initial choice. */
export function SelectPrompt({ prompt }: { prompt: Extract<PendingPrompt, { kind: 'select' }> }) {
  const { choices } = prompt;
  const [focus, setFocus] = useState(() => Math.max(0, choices.findIndex((choice) => choice.value === prompt.initial)));
  // Several keys can arrive in one chunk (down, then Enter) before React re-renders: the ref is never stale.
  const focusRef = useRef(focus);
  const move = (index: number) => {
    focusRef.current = Math.min(choices.length - 1, Math.max(0, index));
    setFocus(focusRef.current);
  };
  useInput((_input, key) => {
    if (key.upArrow) move(focusRef.current - 1);
    else if (key.downArrow) move(focusRef.current + 1);
    else if (key.return && choices[focusRef.current]) prompt.submit(choices[focusRef.current]!.value);
  });
  const start = Math.max(0, Math.min(focus - Math.floor(visibleCount / 2), choices.length - visibleCount));
  const visible = choices.slice(start, start + visibleCount);
  return (
    <Box flexDirection="column">
      {start > 0 ? <Text dimColor>  ↑ {start} more</Text> : null}
      {visible.map((choice, offset) => {
        const focused = start + offset === focus;
        return (
          <Text key={choice.value}>
            <Text color="cyan">{focused ? '❯ ' : '  '}</Text>
            <Text color={focused ? 'cyan' : undefined}>{choice.label}</Text>
            {choice.hint ? <Text dimColor> {choice.hint}</Text> : null}
          </Text>
        );
      })}
      {start + visibleCount < choices.length ? <Text dimColor>  ↓ {choices.length - start - visibleCount} more</Text> : null}
    </Box>
  );
}
