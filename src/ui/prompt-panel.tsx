import { Box, Text } from 'ink';
import { ConfirmPrompt } from './confirm-prompt.js';
import { SelectPrompt } from './select-prompt.js';
import type { PendingPrompt } from './store.js';
import { TextPrompt } from './text-prompt.js';

/** The question being asked: its message and the input for its kind. */
export function PromptPanel({ prompt }: { prompt: PendingPrompt }) {
  return (
    <Box flexDirection="column">
      {/* One paragraph, so a long question wraps as a whole and (y/N) stays at its end. */}
      <Text>
        <Text color="cyan">? </Text>
        <Text bold>{prompt.message}</Text>
        {prompt.kind === 'confirm' ? (
          <>
            {' '}
            <ConfirmPrompt key={prompt.id} prompt={prompt} />
          </>
        ) : null}
      </Text>
      {prompt.kind === 'select' ? <SelectPrompt key={prompt.id} prompt={prompt} /> : null}
      {prompt.kind === 'text' || prompt.kind === 'secret' ? <TextPrompt key={prompt.id} prompt={prompt} /> : null}
    </Box>
  );
}
