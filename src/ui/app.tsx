import { useSyncExternalStore } from 'react';
import { Box, Static, Text, useInput, useStdin, useStdout } from 'ink';
import { Spinner } from '@inkjs/ui';
import { ProgressPanel } from './progress-panel.js';
import { PromptPanel } from './prompt-panel.js';
import { StepList } from './step-list.js';
import { numberedMenuLimit } from '../prompts/prompter.js';
import { defaultWidth } from '../system/wrap.js';
import type { PendingPrompt, WizardState, WizardStore } from './store.js';
import { TranscriptLine } from './transcript.js';

function keyHint(prompt: PendingPrompt | undefined): string {
  switch (prompt?.kind) {
    case undefined:
      return 'Ctrl-C cancel';
    case 'select': {
      const numbers = prompt.choices.length <= numberedMenuLimit ? `1-${prompt.choices.length} or ` : '';
      return `${numbers}↑↓ choose · Enter confirm · Ctrl-C cancel`;
    }
    case 'confirm':
      return 'y yes · n no · Ctrl-C cancel';
    default:
      return 'Enter confirm · Ctrl-C cancel';
  }
}

/**
 * The wizard: the transcript of what is finished (ink's Static, printed once, scrolls like a
 * log) above a live frame with the header, the step list, the current panel and the footer.
 */
export function App({ store, onInterrupt }: { store: WizardStore; onInterrupt: () => void }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { isRawModeSupported } = useStdin();
  const { stdout } = useStdout();
  // exitOnCtrlC is off and the terminal is in raw mode: Ctrl-C arrives here as a key.
  useInput(
    (input, key) => {
      if (!(key.ctrl && input === 'c')) return;
      const { prompt } = store.getState();
      if (prompt) prompt.cancel();
      else onInterrupt();
    },
    { isActive: isRawModeSupported },
  );
  const stepsWidth = Math.min(36, Math.max(16, ...state.steps.map((step) => step.title.length + 4)));
  return (
    <>
      {/* Static lays its items out with no width of their own: without one, a row of boxes (a plan action, a table) would overflow the terminal instead of wrapping. */}
      <Static items={state.transcript}>
        {(entry) => (
          <Box key={entry.key} width={stdout.columns || defaultWidth} flexDirection="column">
            <TranscriptLine entry={entry} />
          </Box>
        )}
      </Static>
      <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
        <Text bold>{state.title}</Text>
        <Box marginTop={1}>
          {state.steps.length > 0 ? (
            <Box width={stepsWidth} flexShrink={0} marginRight={2}>
              <StepList steps={state.steps} />
            </Box>
          ) : null}
          <Box flexDirection="column" flexGrow={1}>
            <Panel state={state} />
          </Box>
        </Box>
        {/* The log path and the keys on lines of their own: at 80 columns they wrap as whole lines, not mid-hint. */}
        <Box marginTop={1} flexDirection="column">
          {state.logPath ? <Text dimColor wrap="truncate-middle">Log: {state.logPath}</Text> : null}
          <Text dimColor>{keyHint(state.prompt)}</Text>
        </Box>
      </Box>
    </>
  );
}

function Panel({ state }: { state: WizardState }) {
  if (state.prompt) return <PromptPanel prompt={state.prompt} />;
  if (state.action) return <ProgressPanel action={state.action} />;
  const running = state.steps.find((step) => step.state === 'running');
  return running ? <Spinner label={running.note ?? running.title} /> : <Text> </Text>;
}
