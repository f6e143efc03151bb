import { Box, Text } from 'ink';
import type { StepInfo, StepState } from '../prompts/prompter.js';

const marks: Record<StepState, { mark: string; color?: string; dim?: boolean }> = {
  done: { mark: '✔', color: 'green' },
  running: { mark: '▶', color: 'cyan' },
  failed: { mark: '✖', color: 'red' },
  pending: { mark: '·', dim: true },
  skipped: { mark: '↷', dim: true },
};

/** The wizard's steps, one line each, with a mark per state. */
export function StepList({ steps }: { steps: StepInfo[] }) {
  return (
    <Box flexDirection="column">
      {steps.map((step) => {
        const { mark, color, dim } = marks[step.state];
        return (
          <Box key={step.id} flexDirection="column">
            <Text wrap="truncate-end">
              <Text color={color} dimColor={dim}>
                {mark}{' '}
              </Text>
              <Text bold={step.state === 'running'} dimColor={step.state === 'pending' || step.state === 'skipped'}>
                {step.title}
              </Text>
            </Text>
            {step.note ? (
              <Text dimColor wrap="truncate-end">
                {'  '}
                {step.note}
              </Text>
            ) : null}
          </Box>
        );
      })}
    </Box>
  );
}
