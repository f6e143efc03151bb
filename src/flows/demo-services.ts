import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BackupStore } from '../engine/backups.js';
import { Journal } from '../engine/journal.js';
import { applyPlan } from '../engine/runner.js';
import { detectInit } from '../system/facts.js';
import type { Logger } from '../system/log.js';
import { runtimeFor } from '../system/runtime.js';
import { installerHandlers } from '../../installers/handlers.js';
import { removeServiceAction } from '../../installers/services/plan.js';
import { installedServices, servicesDir, unitPath } from '../../installers/services/spec.js';
import { runStamp } from './context.js';

const demoDir = (stateDir: string) => join(stateDir, 'demo');

/** The demo's services go first, through the engine like any removal: nothing of theirs keeps running. */
export async function removeDemoServices(record: { services?: string[] }, log: Logger, stateDir: string): Promise<void> {
  const installed = installedServices();
  const names = (record.services ?? []).filter((name) => installed.includes(name));
  if (names.length === 0) return;
  const init = detectInit();
  const runtime = runtimeFor();
  const plan = { title: 'demo services', actions: names.map((name) => removeServiceAction(name, init === 'systemd' && existsSync(unitPath(name)) ? 'systemd' : 'none', runtime)), notes: [] };
  await applyPlan(plan, {
    log,
    backups: new BackupStore(join(demoDir(stateDir), 'backups', runStamp())),
    journal: new Journal(join(demoDir(stateDir), 'journal-services.json'), plan),
    onEvent: (e) => e.type === 'done' && process.stderr.write(`  ${e.title}: ${e.note ?? 'done'}\n`),
    secrets: {},
    stamp: runStamp(),
    handlers: installerHandlers,
  });
  // The registry's folders, once empty, go too: the demo made them.
  for (const dir of [servicesDir, dirname(servicesDir)]) if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
}
