import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoDefaults, demoDown, demoSocketDir, demoUp, removePgpassEntries, type DemoOptions, type DemoState } from '../../installers/postgresql/demo.js';
import { pgpassPath } from '../../installers/postgresql/context.js';
import { planPackages } from '../../installers/packages/index.js';
import { serializeAnswers } from '../answers/save.js';
import type { Answers } from '../answers/types.js';
import { BackupStore } from '../engine/backups.js';
import { Journal } from '../engine/journal.js';
import { applyPlan } from '../engine/runner.js';
import { InputError } from '../system/errors.js';
import { gatherFacts, postgresqlVersions } from '../system/facts.js';
import type { Logger } from '../system/log.js';
import { runStamp } from './context.js';
import { installFlow } from './install.js';
import { startFlow } from './start.js';

/** What `demo --down` needs to undo exactly what `demo` did, and what `demo run` needs to act as a node. */
export interface DemoRecord extends DemoState {
  pgpass: { path: string; existed: boolean };
  /** Whether the state folder itself was there before the demo (else `--down` removes it when empty). */
  stateDirExisted: boolean;
  hosts: string[];
  port: number;
  nodes?: DemoOptions['master'][];
}

export const demoDir = (stateDir: string) => join(stateDir, 'demo');
export const demoRecordPath = (stateDir: string) => join(demoDir(stateDir), 'demo.json');
/** Each demo node keeps its state where `demo run ADDRESS` finds it. */
export const demoNodeDir = (stateDir: string, address: string) => join(demoDir(stateDir), address);
/** An answers file holding only the demo's backup password (a file: reference), for `demo run`. */
export const demoSecretsFile = (stateDir: string) => join(demoDir(stateDir), 'secrets.yaml');

export function readDemoRecord(stateDir: string): DemoRecord | undefined {
  const path = demoRecordPath(stateDir);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DemoRecord) : undefined;
}

function nodeAnswers(role: 'master' | 'slave', options: DemoOptions, passwordFile: string): Partial<Answers> {
  const cluster = role === 'master' ? options.master.cluster : options.slave.cluster;
  return {
    mode: role,
    masterIp: options.master.address,
    slaveIp: options.slave.address,
    minRamGb: 1,
    minCores: 1,
    minDiskGb: 1,
    skipPackages: true,
    pgCluster: cluster,
    pgPort: options.port,
    pgSocketDir: demoSocketDir(cluster),
    backupPassword: { source: 'file', ref: `file:${passwordFile}`, value: '' },
    masterWaitSeconds: 60,
  };
}

/** PostgreSQL first, through the same packages installer an install uses: a fresh machine has none. */
async function ensurePostgresql(log: Logger, stateDir: string, stamp: string): Promise<number> {
  const facts = await gatherFacts();
  if (facts.postgresqlVersions.length === 0) {
    const { actions } = await planPackages({ mode: 'master', pgVersion: undefined, extraPackages: [], skipPackages: false }, facts, log);
    if (actions.length === 0) throw new InputError('PostgreSQL is not installed and this OS has no supported package manager.', [{ message: 'no PostgreSQL server found', fix: 'install PostgreSQL 12 or newer, then run the demo again' }]);
    process.stderr.write(`Installing PostgreSQL with ${actions.at(-1)!.argv.join(' ')} ...\n`);
    const plan = { title: 'demo packages', actions, notes: [] };
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

export interface DemoCommandOptions {
  stateDir: string;
  logDir: string;
  log: Logger;
  port: number;
  clusterPrefix: string;
}

/**
 * `ha-install demo`: a real master + slave pair on this machine, two PostgreSQL clusters on
 * 127.0.0.11 and 127.0.0.12, installed by the same install flow an admin runs, unattended from
 * generated answers files. Every change is recorded for `demo --down`.
 */
export async function demoCommand(options: DemoCommandOptions): Promise<DemoRecord> {
  const { log, stateDir } = options;
  const dir = demoDir(stateDir);
  const stamp = runStamp();
  const stateDirExisted = existsSync(stateDir);
  let record = readDemoRecord(stateDir);
  if (record) process.stderr.write(`The demo pair is already up (${demoRecordPath(stateDir)}): re-running its installs, which change nothing when all is in place.\n`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const version = await ensurePostgresql(log, stateDir, stamp);
  const defaults = demoDefaults(version, { port: record?.port ?? options.port, prefix: options.clusterPrefix });
  if (!record) {
    const pgpass = pgpassPath({});
    const existed = existsSync(pgpass);
    const state = await demoUp(defaults, log);
    record = { ...state, pgpass: { path: pgpass, existed }, stateDirExisted, hosts: [defaults.master.address, defaults.slave.address], port: defaults.port, nodes: [defaults.master, defaults.slave] };
    writeFileSync(demoRecordPath(stateDir), JSON.stringify(record, null, 2), { mode: 0o600 });
  }
  const passwordFile = join(dir, 'backup-password');
  // Random, plus one of each kind: 24 base64url characters alone miss the policy's third kind now and then.
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, `${randomBytes(18).toString('base64url')}-7aZ\n`, { mode: 0o600 });
  writeFileSync(demoSecretsFile(stateDir), `# Generated by ha-install demo: the demo's backup password, for \`ha-install demo run\`.\npostgresql:\n  backup-password: file:${passwordFile}\n`, { mode: 0o600 });
  for (const role of ['master', 'slave'] as const) {
    const node = role === 'master' ? defaults.master : defaults.slave;
    const answersFile = join(dir, `${role}.yaml`);
    writeFileSync(answersFile, `# Generated by ha-install demo: the ${role} of the loopback pair.\n${serializeAnswers(nodeAnswers(role, defaults, passwordFile))}`, { mode: 0o600 });
    process.stderr.write(`\n━━ ha-install --answers ${answersFile} (${role}, ${node.address}) ━━\n`);
    await startFlow(installFlow, {
      options: { dryRun: false, yes: true, answersFile, stateDir: demoNodeDir(stateDir, node.address), logDir: options.logDir },
      plain: false,
      json: false,
      answerFlags: {},
    });
  }
  return record;
}

/** `ha-install demo --down`: drops the demo clusters, undoes the loopback changes and .pgpass lines, removes the demo folder. */
export async function demoDownCommand(options: { stateDir: string; log: Logger }): Promise<void> {
  const record = readDemoRecord(options.stateDir);
  if (!record) {
    process.stderr.write('No demo pair is up: nothing to remove.\n');
    return;
  }
  await demoDown(record, options.log);
  // Only our lines: another demo or a real install may have added its own since.
  removePgpassEntries(record.pgpass.path, record.hosts, record.port);
  if (!record.pgpass.existed && existsSync(record.pgpass.path) && readFileSync(record.pgpass.path, 'utf8') === '') rmSync(record.pgpass.path);
  rmSync(demoDir(options.stateDir), { recursive: true, force: true });
  if (!record.stateDirExisted && readdirSync(options.stateDir).length === 0) rmSync(options.stateDir, { recursive: true });
  process.stderr.write('The demo pair is removed: clusters, loopback addresses and routes, .pgpass lines, demo files.\n');
}
