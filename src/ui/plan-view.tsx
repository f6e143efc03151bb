import { Box, Text } from 'ink';

/** The plan: numbered action titles, what it deliberately does not do, and the file diffs (dim). */
export function PlanView({ title, actions, notes, diffs }: { title: string; actions: string[]; notes: string[]; diffs: string }) {
  return (
    <Box flexDirection="column" marginY={1}>
      <Text bold>
        {title} <Text dimColor>({actions.length} actions)</Text>
      </Text>
      {actions.map((action, index) => (
        <Text key={index}>
          <Text color="cyan">{String(index + 1).padStart(3)}.</Text> {action}
        </Text>
      ))}
      {notes.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Notes</Text>
          {notes.map((note, index) => (
            <Text key={index}>  - {note}</Text>
          ))}
        </Box>
      ) : null}
      {diffs.trim() !== '' ? (
        <Box marginTop={1}>
          <Text dimColor>{diffs.trimEnd()}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
