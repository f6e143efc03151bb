import { useState } from 'react';
import { Box, Text } from 'ink';
import { LineInput } from './line-input.js';
import type { PendingPrompt } from './store.js';

type TextLike = Extract<PendingPrompt, { kind: 'text' | 'secret' }>;

/**
 * Free text or a masked secret. The validation message shows under the input as soon as the
 * person types, and Enter is refused while there is one.
 */
export function TextPrompt({ prompt }: { prompt: TextLike }) {
  const initial = prompt.kind === 'text' ? (prompt.initial ?? '') : '';
  const [value, setValue] = useState(initial);
  const [touched, setTouched] = useState(false);
  const problem = touched ? prompt.validate?.(value) : undefined;
  const change = (next: string) => {
    setValue(next);
    setTouched(true);
  };
  const submit = (submitted: string) => {
    setTouched(true);
    if (prompt.validate?.(submitted) === undefined) prompt.submit(submitted);
  };
  const notice = problem ?? (touched ? undefined : prompt.notice);
  return (
    <Box flexDirection="column">
      <Box>
        <Text color="cyan">❯ </Text>
        <LineInput
          initial={initial}
          mask={prompt.kind === 'secret'}
          placeholder={prompt.kind === 'text' ? prompt.placeholder : undefined}
          onChange={change}
          onSubmit={submit}
        />
      </Box>
      {notice ? <Text color="red">{notice}</Text> : null}
    </Box>
  );
}
