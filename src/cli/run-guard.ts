import { guardCommand } from '../../installers/postgresql/guard.js';

/** `ha-install guard CONFIG`, run as postgres by the cluster's start wrapper. */
export async function runGuard(configPath: string): Promise<void> {
  await guardCommand(configPath);
}
