import type { Flow } from './context.js';
import { teardownTitle } from '../prompts/titles.js';
import { pairStep } from './recovery/pair-step.js';
export const teardownFlow: Flow = { command: 'teardown', title: teardownTitle, needsRoot: true, doneTitle: 'Torn down', steps: [pairStep as never] };
