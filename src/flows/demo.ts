import { clearRuntimeFence } from '../../installers/postgresql/fence.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoDefaults, demoDown, demoSocketDir, demoUp, removePgpassEntries, type DemoChoices, type DemoOptions, type DemoState } from '../../installers/postgresql/demo.js';
import { pgpassPath } from '../../installers/postgresql/context.js';
import { planPackages } from '../../installers/packages/index.js';
import { serializeAnswers } from '../answers/save.js';
import { passwordStrength } from '../answers/resolve.js';
import type { Answers } from '../answers/types.js';
import { BackupStore } from '../engine/backups.js';
import { Journal } from '../engine/journal.js';
import { applyPlan } from '../engine/runner.js';
import { InputError } from '../system/errors.js';
import { gatherFacts, postgresqlVersions } from '../system/facts.js';
import type { Logger } from '../system/log.js';
import { runStamp } from './context.js';
import { balancerAnswers, ensureDemoClient, prepareBalancerDir } from './demo-balancer.js';
import { agentServiceName } from '../../installers/agent/config.js';
import { haproxyServiceName } from '../../installers/haproxy/service.js';
import { monitorServiceName } from '../../installers/monitor/config.js';
import { witnessService } from '../../installers/monitor/plan.js';
import { removeDemoServices } from './demo-services.js';
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
  /** The options it was built with (the balancer's ports, the prefix): a re-run keeps them. */
  options?: DemoOptions;
  /** ha-install services the demo's installs started (the agents, HAProxy): `--down` removes them. */
  services?: string[];
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
    balancerIp: options.balancer.address,
    agentPort: options.agentPort,
    witnessPort: options.witnessPort,
    failoverAutomatic: options.automatic,
    // The demo's traffic stays on loopback: its monitors never ping the host's gateway.
    pingGateway: false,
    synchronous: options.synchronous,
    eventScript: options.eventScript,
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

/**
 * A random password the master's policy accepts: 24 base64url characters lack digits and
 * symbols alike about once in 150 draws, and the demo's master install then refused its own.
 */
export function strongPassword(): string {
  for (;;) {
    const candidate = randomBytes(18).toString('base64url');
    if (passwordStrength(candidate) === undefined) return candidate;
  }
}

/** What the demo is asked for, as its flags say it (src/cli/run-status.ts checks them). */
export type DemoSettings = DemoChoices;

export interface DemoCommandOptions extends DemoSettings {
  stateDir: string;
  logDir: string;
  log: Logger;
}

/** Runs one install of the demo, unattended from its generated answers file, as its node. */
async function install(dir: string, role: string, address: string, answers: Partial<Answers>, options: DemoCommandOptions): Promise<void> {
  const answersFile = join(dir, `${role}.yaml`);
  writeFileSync(answersFile, `# Generated by ha-install demo: the ${role} of the loopback demo.\n${serializeAnswers(answers)}`, { mode: 0o600 });
  process.stderr.write(`\n━━ ha-install --answers ${answersFile} (${role}, ${address}) ━━\n`);
  await startFlow(installFlow, {
    options: { dryRun: false, yes: true, answersFile, stateDir: demoNodeDir(options.stateDir, address), logDir: options.logDir },
    plain: false,
    json: false,
    answerFlags: {},
  });
}

/**
 * `ha-install demo`: a real master + slave pair on this machine, two PostgreSQL clusters on
 * 127.0.0.11 and 127.0.0.12, installed by the same install flow an admin runs, unattended from
 * generated answers files. Every change is recorded for `demo --down`.
 */
export async function demoCommand(options: DemoCommandOptions): Promise<DemoRecord & { client: { role: string; pgpass: string } }> {
  const { log, stateDir } = options;
  const dir = demoDir(stateDir);
  const stamp = runStamp();
  const stateDirExisted = existsSync(stateDir);
  let record = readDemoRecord(stateDir);
  if (record) process.stderr.write(`The demo pair is already up (${demoRecordPath(stateDir)}): re-running its installs, which change nothing when all is in place.\n`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const version = await ensurePostgresql(log, stateDir, stamp);
  // demoDefaults takes the choices (DemoSettings) and leaves the rest of the options.
  const defaults = record?.options ?? demoDefaults(version, { ...options, port: record?.port ?? options.port });
  if (!record) {
    const pgpass = pgpassPath({});
    const existed = existsSync(pgpass);
    const state = await demoUp(defaults, log);
    const hosts = [defaults.master.address, defaults.slave.address, defaults.balancer.address];
    record = { ...state, pgpass: { path: pgpass, existed }, stateDirExisted, hosts, port: defaults.port, nodes: [defaults.master, defaults.slave], options: defaults };
  }
  const lb = balancerAnswers(defaults, dir);
  record.services = [
    ...[defaults.master, defaults.slave].map((node) => agentServiceName({ version: defaults.version, name: node.cluster })),
    haproxyServiceName(lb.haproxyConfig!),
    // The monitors and the witness, when they run (a record from an older demo knows no `automatic`: it had none).
    ...(defaults.automatic
      ? [...[defaults.master, defaults.slave].map((node) => monitorServiceName({ version: defaults.version, name: node.cluster })), witnessService({ haproxyConfig: lb.haproxyConfig! })]
      : []),
  ];
  writeFileSync(demoRecordPath(stateDir), JSON.stringify(record, null, 2), { mode: 0o600 });
  const passwordFile = join(dir, 'backup-password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, strongPassword() + '\n', { mode: 0o600 });
  writeFileSync(demoSecretsFile(stateDir), `# Generated by ha-install demo: the demo's backup password, for \`ha-install demo run\`.\npostgresql:\n  backup-password: file:${passwordFile}\n`, { mode: 0o600 });
  for (const role of ['master', 'slave'] as const) {
    const node = role === 'master' ? defaults.master : defaults.slave;
    await install(dir, role, node.address, nodeAnswers(role, defaults, passwordFile), options);
  }
  prepareBalancerDir(dir);
  await install(dir, 'balancer', defaults.balancer.address, lb, options);
  const client = await ensureDemoClient(defaults, dir, log);
  return { ...record, client };
}

/** `ha-install demo --down`: drops the demo clusters, undoes the loopback changes and .pgpass lines, removes the demo folder. */
export async function demoDownCommand(options: { stateDir: string; log: Logger }): Promise<void> {
  const record = readDemoRecord(options.stateDir);
  if (!record) {
    process.stderr.write('No demo pair is up: nothing to remove.\n');
    return;
  }
  await removeDemoServices(record, options.log, options.stateDir);
  await demoDown(record, options.log);
  // A runtime fence a monitor wrote lives in /run, not in the cluster: it goes with the cluster,
  // or the next demo of the same names would start fenced.
  for (const ref of record.clusters) clearRuntimeFence(ref);
  // Only our lines: another demo or a real install may have added its own since.
  removePgpassEntries(record.pgpass.path, record.hosts, record.port);
  if (!record.pgpass.existed && existsSync(record.pgpass.path) && readFileSync(record.pgpass.path, 'utf8') === '') rmSync(record.pgpass.path);
  rmSync(demoDir(options.stateDir), { recursive: true, force: true });
  if (!record.stateDirExisted && readdirSync(options.stateDir).length === 0) rmSync(options.stateDir, { recursive: true });
  process.stderr.write('The demo is removed: its services (agents, HAProxy), clusters, loopback addresses and routes, .pgpass lines, demo files.\n');
}
