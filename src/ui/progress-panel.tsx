import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import { counter, percentText } from '../prompts/report-lines.js';
import type { ActionView } from './store.js';

const barWidth = 30;

/** A text bar of fixed width, so frames are the same on every terminal. */
export function progressBar(percent: number): string {
  const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * barWidth);
  return '█'.repeat(filled) + '░'.repeat(barWidth - filled);
}

/** The running action: `[3/7]` and title, a bar with percent when known (a spinner otherwise), and the detail. */
export function ProgressPanel({ action }: { action: ActionView }) {
  return (
    <Box flexDirection="column">
      <Text>
        <Text color="cyan">{counter(action)}</Text> {action.title}
      </Text>
      {action.percent === undefined ? (
        <Spinner label="working" />
      ) : (
        <Text>
          <Text color="cyan">{progressBar(action.percent)}</Text> {percentText(action.percent)}
        </Text>
      )}
      {action.detail ? <Text dimColor>{action.detail}</Text> : null}
    </Box>
  );
}
