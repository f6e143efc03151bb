import type { ReactNode } from 'react';
import { Box, Text, useStdout } from 'ink';
import type { CheckRow, Verdict } from '../prompts/prompter.js';
import { cellLines, checkColumns, checksTally } from '../prompts/report-lines.js';
import { defaultWidth } from '../system/wrap.js';

const verdicts: Record<Verdict, { mark: string; color: string }> = {
  ok: { mark: '✔ ok', color: 'green' },
  warn: { mark: '! warn', color: 'yellow' },
  fail: { mark: '✖ fail', color: 'red' },
  info: { mark: 'i info', color: 'blue' },
};

/** Cells are broken into lines here, at the plain table's places: ink would cut a word longer than its box. */
function Row({ cells, widths, verdict, header }: { cells: string[]; widths: number[]; verdict: ReactNode; header?: boolean }) {
  return (
    <Box>
      {cells.map((cell, index) => (
        <Box key={index} width={widths[index]! + 2} flexShrink={0} paddingRight={2}>
          <Text bold={header}>{cellLines(cell, widths[index]!).join('\n')}</Text>
        </Box>
      ))}
      {verdict}
    </Box>
  );
}

/** Measured vs required, one verdict per row, and what to do under each warn or fail. */
export function ChecksTable({ title, rows }: { title: string; rows: CheckRow[] }) {
  // The transcript is as wide as the terminal; the table's columns share what is left of it.
  const { stdout } = useStdout();
  const columns = checkColumns(rows, stdout.columns || defaultWidth);
  const widths = [columns.name, columns.measured, columns.required];
  const failed = rows.filter((row) => row.verdict === 'fail').length;
  const warned = rows.filter((row) => row.verdict === 'warn').length;
  return (
    <Box flexDirection="column" marginY={1}>
      <Text bold>{title}</Text>
      <Box flexDirection="column" paddingLeft={2}>
        <Row header cells={['Check', 'Measured', 'Required']} widths={widths} verdict={<Text bold>Verdict</Text>} />
        {rows.map((row, index) => (
          <Box key={index} flexDirection="column">
            <Row
              cells={[row.name, row.measured, row.required]}
              widths={widths}
              verdict={<Text color={verdicts[row.verdict].color}>{verdicts[row.verdict].mark}</Text>}
            />
            {row.fix && (row.verdict === 'fail' || row.verdict === 'warn') ? (
              <Box paddingLeft={2}>
                <Text color={verdicts[row.verdict].color}>↳ fix: {row.fix}</Text>
              </Box>
            ) : null}
          </Box>
        ))}
      </Box>
      <Text color={failed > 0 ? 'red' : warned > 0 ? 'yellow' : 'green'}>
        {checksTally(rows)}
      </Text>
    </Box>
  );
}
