import { Box, Text } from 'ink';

/** The plan: numbered action titles, what it deliberately does not do, and the file diffs (dim). */
export function PlanView({ title, actions, notes, diffs }: { title: string; actions: string[]; notes: string[]; diffs: string }) {
  return (
    <Box flexDirection="column" marginY={1}>
      <Text bold>
        {title} <Text dimColor>({actions.length} actions)</Text>
      </Text>
      {/* Number and text in boxes of their own, so a long action wraps under its text, not under its number. */}
      {actions.map((action, index) => (
        <Box key={index}>
          <Box width={5} flexShrink={0}>
            <Text color="cyan">{String(index + 1).padStart(3)}.</Text>
          </Box>
          <Text>{action}</Text>
        </Box>
      ))}
      {notes.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Notes</Text>
          {notes.map((note, index) => (
            <Box key={index}>
              <Box width={4} flexShrink={0}>
                <Text>  -</Text>
              </Box>
              <Text>{note}</Text>
            </Box>
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
