import { useSyncExternalStore } from 'react';
import { Box, Static, Text, useInput, useStdin } from 'ink';
import { Spinner } from '@inkjs/ui';
import { ProgressPanel } from './progress-panel.js';
import { PromptPanel } from './prompt-panel.js';
import { StepList } from './step-list.js';
import type { PendingPrompt, WizardState, WizardStore } from './store.js';
import { TranscriptLine } from './transcript.js';

const keyHints: Record<PendingPrompt['kind'], string> = {
  select: 'Enter confirm · ↑↓ choose · Ctrl-C cancel',
  text: 'Enter confirm · Ctrl-C cancel',
  secret: 'Enter confirm · Ctrl-C cancel',
  confirm: 'y yes · n no · Ctrl-C cancel',
};

/**
 * The wizard: the transcript of what is finished (ink's Static, printed once, scrolls like a
 * log) above a live frame with the header, the step list, the current panel and the footer.
 */
export function App({ store, onInterrupt }: { store: WizardStore; onInterrupt: () => void }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { isRawModeSupported } = useStdin();
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
      <Static items={state.transcript}>{(entry) => <TranscriptLine key={entry.key} entry={entry} />}</Static>
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
        <Box marginTop={1}>
          <Text dimColor>
            {state.logPath ? `Log: ${state.logPath} · ` : ''}
            {state.prompt ? keyHints[state.prompt.kind] : 'Ctrl-C cancel'}
          </Text>
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
