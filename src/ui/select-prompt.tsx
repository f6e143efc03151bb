import { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { numberedMenuLimit } from '../prompts/prompter.js';
import type { PendingPrompt } from './store.js';

const visibleCount = 8;

/**
 * Arrow keys or the entry's number move, Enter chooses. Starts on the initial choice. A digit
 * alone only moves, as in inquirer's select (--plain): a stray key never installs a role.
 */
export function SelectPrompt({ prompt }: { prompt: Extract<PendingPrompt, { kind: 'select' }> }) {
  const { choices } = prompt;
  const numbered = choices.length <= numberedMenuLimit;
  const [focus, setFocus] = useState(() => Math.max(0, choices.findIndex((choice) => choice.value === prompt.initial)));
  // Several keys can arrive in one chunk (down, then Enter) before React re-renders: the ref is never stale.
  const focusRef = useRef(focus);
  const move = (index: number) => {
    focusRef.current = Math.min(choices.length - 1, Math.max(0, index));
    setFocus(focusRef.current);
  };
  useInput((input, key) => {
    // A chunk such as "3\r" (a fast typist, a paste) arrives as one string: the digit, then Enter.
    const digit = /^([1-9])\r?$/.exec(input)?.[1];
    if (key.upArrow) move(focusRef.current - 1);
    else if (key.downArrow) move(focusRef.current + 1);
    else if (numbered && digit !== undefined && Number(digit) <= choices.length) move(Number(digit) - 1);
    if ((key.return || (digit !== undefined && input.endsWith('\r'))) && choices[focusRef.current]) prompt.submit(choices[focusRef.current]!.value);
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
            {numbered ? <Text color={focused ? 'cyan' : undefined} dimColor={!focused}>{start + offset + 1}  </Text> : null}
            <Text color={focused ? 'cyan' : undefined}>{choice.label}</Text>
            {choice.hint ? <Text dimColor> {choice.hint}</Text> : null}
          </Text>
        );
      })}
      {start + visibleCount < choices.length ? <Text dimColor>  ↓ {choices.length - start - visibleCount} more</Text> : null}
    </Box>
  );
}
