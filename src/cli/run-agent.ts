import { runAgent } from '../../installers/agent/server.js';

/** `ha-install agent CONFIG`: serves until SIGTERM (its service stops it so), then closes cleanly. */
export async function runAgentCommand(config: string): Promise<void> {
  const close = await runAgent(config);
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
  });
  await close();
}
