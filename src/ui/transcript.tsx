import { Box, Text } from 'ink';
import { ChecksTable } from './checks-table.js';
import { PlanView } from './plan-view.js';
import type { TranscriptEntry } from './store.js';

const levels = {
  info: { mark: 'i', color: 'blue' },
  success: { mark: '✔', color: 'green' },
  warn: { mark: '!', color: 'yellow' },
  error: { mark: '✖', color: 'red' },
} as const;

const actionMarks = { done: { mark: '✔', color: 'green' }, skipped: { mark: '↷', color: 'gray' }, failed: { mark: '✖', color: 'red' } } as const;

/** One finished thing: a step heading, an answer, a message, a checks table, the plan, an action, a summary. */
export function TranscriptLine({ entry }: { entry: TranscriptEntry }) {
  switch (entry.kind) {
    case 'step':
      return (
        <Box marginTop={1}>
          <Text bold color="cyan">
            {entry.position} · {entry.title}
          </Text>
        </Box>
      );
    case 'answer':
      return (
        <Text>
          <Text color="green">✔ </Text>
          {entry.message} <Text color="cyan">{entry.answer}</Text>
        </Text>
      );
    case 'message':
      return (
        <Text color={entry.level === 'info' ? undefined : levels[entry.level].color}>
          <Text color={levels[entry.level].color}>{levels[entry.level].mark} </Text>
          {entry.text}
        </Text>
      );
    case 'checks':
      return <ChecksTable title={entry.title} rows={entry.rows} />;
    case 'plan':
      return <PlanView title={entry.title} actions={entry.actions} notes={entry.notes} diffs={entry.diffs} />;
    case 'action':
      return (
        <Text>
          <Text color={actionMarks[entry.state].color}>{actionMarks[entry.state].mark} </Text>
          {entry.line}
        </Text>
      );
    case 'summary':
      return (
        <Box flexDirection="column" borderStyle="round" borderColor="green" paddingX={1} marginY={1}>
          <Text bold>{entry.title}</Text>
          {entry.lines.map((line, index) => (
            <Text key={index}>{line}</Text>
          ))}
        </Box>
      );
  }
}
