import { Box, Text } from 'ink';
import { statusRows, type StatusReport } from '../flows/status-lines.js';

/** The `ha-install status` dashboard: one panel per node, green when healthy. Display only. */
export function StatusView({ report, watching }: { report: StatusReport; watching: boolean }) {
  return (
    <Box flexDirection="column">
      <Text bold>ha-install status · {report.at}</Text>
      <Box flexDirection="row" flexWrap="wrap">
        {report.nodes.map((node) => (
          <Box key={node.name} flexDirection="column" borderStyle="round" borderColor={node.status.healthy ? 'green' : 'red'} paddingX={1} marginRight={1} width={58}>
            <Text bold color={node.status.healthy ? 'green' : 'red'}>
              {node.status.healthy ? '✔' : '✖'} {node.name} ({node.status.cluster})
            </Text>
            {statusRows(node).map(([label, value]) => (
              <Text key={label}>
                <Text dimColor>{label.padEnd(12)}</Text> {value}
              </Text>
            ))}
            {node.status.problems.map((problem) => (
              <Text key={problem} color="red">
                ! {problem}
              </Text>
            ))}
            {node.status.fenced?.restore ? <Text>next step: {node.status.fenced.restore}</Text> : null}
          </Box>
        ))}
      </Box>
      <Text color={report.healthy ? 'green' : 'red'}>{report.healthy ? 'The pair is healthy.' : 'The pair is NOT healthy.'}</Text>
      {watching ? <Text dimColor>Refreshing every 2 s · Ctrl-C to stop</Text> : null}
    </Box>
  );
}
