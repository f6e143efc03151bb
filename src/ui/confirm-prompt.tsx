import { Text, useInput } from 'ink';
import type { PendingPrompt } from './store.js';

/** y or n; Enter takes the initial answer, and is ignored when there is none. */
export function ConfirmPrompt({ prompt }: { prompt: Extract<PendingPrompt, { kind: 'confirm' }> }) {
  useInput((input, key) => {
    // A chunk such as "y\r" arrives as one string.
    const answer = input.toLowerCase().replace(/[\r\n]/g, '');
    if (answer === 'y') prompt.submit(true);
    else if (answer === 'n') prompt.submit(false);
    else if (key.return && prompt.initial !== undefined) prompt.submit(prompt.initial);
  });
  const hint = prompt.initial === undefined ? 'y/n' : prompt.initial ? 'Y/n' : 'y/N';
  return <Text dimColor>({hint})</Text>;
}
