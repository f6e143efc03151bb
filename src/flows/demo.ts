import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoDefaults, demoDown, demoSocketDir, demoUp, removePgpassEntries, type DemoState } from '../../installers/postgresql/demo.js';
import { pgpassPath } from '../../installers/postgresql/context.js';
import { planPackages } from '../../installers/packages/index.js';
import { serializeAnswers } from '../answers/save.js';
import type { Answers } from '../answers/types.js';
import { BackupStore } from '../engine/backups.js';
import { Journal } from '../engine/journal.js';
import { applyPlan } from '../engine/runner.js';
import { installCommand } from '../cli/run-install.js';
import { InputError } from '../system/errors.js';
import { gatherFacts, postgresqlVersions } from '../system/facts.js';
import type { Logger } from '../system/log.js';
import { runStamp } from './context.js';

/** What `demo --down` needs to undo exactly what `demo` did. */
interface DemoRecord extends DemoState {
  pgpass: { path: string; existed: boolean };
  /** Whether the state folder itself was there before the demo (else `--down` removes it when empty). */
  stateDirExisted: boolean;
  hosts: string[];
  port: number;
}

export const demoDir = (stateDir: string) => join(stateDir, 'demo');
const recordPath = (stateDir: string) => join(demoDir(stateDir), 'demo.json');

function nodeAnswers(role: 'master' | 'slave', passwordFile: string, port: number): Partial<Answers> {
  const defaults = demoDefaults(0);
  const cluster = role === 'master' ? defaults.master.cluster : defaults.slave.cluster;
  return {
    mode: role,
    masterIp: defaults.master.address,
    slaveIp: defaults.slave.address,
    minRamGb: 1,
    minCores: 1,
    minDiskGb: 1,
    skipPackages: true,
    pgCluster: cluster,
    pgPort: port,
    pgSocketDir: demoSocketDir(cluster),
    backupPassword: { source: 'file', ref: `file:${passwordFile}`, value: '' },
    masterWaitSeconds: 60,
  };
}

/** PostgreSQL first, through the same packages installer an install uses: a fresh machine has none. */
async function ensurePostgresql(log: Logger, stateDir: string, stamp: string): Promise<number> {
  const facts = await gatherFacts();
  if (facts.postgresqlVersions.length === 0) {
    const { action } = await planPackages({ mode: 'master', pgVersion: undefined, extraPackages: [], skipPackages: false }, facts, log);
    if (!action) throw new InputError('PostgreSQL is not installed and this OS has no supported package manager.', [{ message: 'no PostgreSQL server found', fix: 'install PostgreSQL 12 or newer, then run the demo again' }]);
    process.stderr.write(`Installing ${action.install.join(', ')} ...\n`);
    const plan = { title: 'demo packages', actions: [action], notes: [] };
    await applyPlan(plan, {
      log,
      backups: new BackupStore(join(demoDir(stateDir), 'backups', stamp)),
      journal: new Journal(join(demoDir(stateDir), 'journal-packages.json'), plan),
      onEvent: (e) => e.type === 'progress' && e.percent !== undefined && process.stderr.write(`  ${e.percent}% ${e.detail ?? ''}\r`),
      secrets: {},
      stamp,
    });
  }
  const version = postgresqlVersions().at(-1);
  if (version === undefined) throw new InputError('PostgreSQL could not be found after the package install.', [{ message: 'no server under /usr/lib/postgresql', fix: 'see the log' }]);
  return version;
}

/**
 * `ha-install demo`: a real master + slave pair on this machine, two PostgreSQL clusters on
 * 127.0.0.11 and 127.0.0.12, installed by the same master and slave flows an admin runs,
 * unattended from generated answers files. Every change is recorded for `demo --down`.
 */
export async function demoCommand(options: { stateDir: string; logDir: string; log: Logger }): Promise<void> {
  const { log, stateDir } = options;
  const dir = demoDir(stateDir);
  const stamp = runStamp();
  const stateDirExisted = existsSync(stateDir);
  if (existsSync(recordPath(stateDir))) {
    process.stderr.write(`The demo pair is already up (${recordPath(stateDir)}): re-running its installs, which change nothing when all is in place.\n`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const version = await ensurePostgresql(log, stateDir, stamp);
  const defaults = demoDefaults(version);
  const pgpass = pgpassPath({});
  let record: DemoRecord | undefined = existsSync(recordPath(stateDir)) ? (JSON.parse(readFileSync(recordPath(stateDir), 'utf8')) as DemoRecord) : undefined;
  if (!record) {
    const existed = existsSync(pgpass);
    const state = await demoUp(defaults, log);
    record = { ...state, pgpass: { path: pgpass, existed }, stateDirExisted, hosts: [defaults.master.address, defaults.slave.address], port: defaults.port };
    writeFileSync(recordPath(stateDir), JSON.stringify(record, null, 2), { mode: 0o600 });
  }
  const passwordFile = join(dir, 'backup-password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url') + '\n', { mode: 0o600 });
  for (const role of ['master', 'slave'] as const) {
    const answersFile = join(dir, `${role}.yaml`);
    writeFileSync(answersFile, `# Generated by ha-install demo: the ${role} of the loopback pair.\n${serializeAnswers(nodeAnswers(role, passwordFile, defaults.port))}`, { mode: 0o600 });
    process.stderr.write(`\n━━ ha-install --answers ${answersFile} (${role}) ━━\n`);
    await installCommand({
      dryRun: false,
      yes: true,
      plain: false,
      json: false,
      answersFile,
      stateDir: join(dir, role),
      logDir: options.logDir,
      answerFlags: {},
    });
  }
}

/** `ha-install demo --down`: drops the demo clusters, undoes the loopback changes and .pgpass lines, removes the demo folder. */
export async function demoDownCommand(options: { stateDir: string; log: Logger }): Promise<void> {
  const path = recordPath(options.stateDir);
  if (!existsSync(path)) {
    process.stderr.write('No demo pair is up: nothing to remove.\n');
    return;
  }
  const record = JSON.parse(readFileSync(path, 'utf8')) as DemoRecord;
  await demoDown(record, options.log);
  if (record.pgpass.existed) removePgpassEntries(record.pgpass.path, record.hosts, record.port);
  else rmSync(record.pgpass.path, { force: true });
  rmSync(demoDir(options.stateDir), { recursive: true, force: true });
  if (!record.stateDirExisted && readdirSync(options.stateDir).length === 0) rmSync(options.stateDir, { recursive: true });
  process.stderr.write('The demo pair is removed: clusters, loopback addresses and routes, .pgpass lines, demo files.\n');
}
