import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyDefaults } from '../../src/answers/resolve.js';
import type { Answers } from '../../src/answers/types.js';
import type { Action } from '../../src/engine/actions.js';
import { BackupStore } from '../../src/engine/backups.js';
import { Journal } from '../../src/engine/journal.js';
import { applyPlan } from '../../src/engine/runner.js';
import { gatherFacts, type MachineFacts } from '../../src/system/facts.js';
import { Logger } from '../../src/system/log.js';
import type { PostgresqlContext } from '../../installers/postgresql/context.js';
import { installerHandlers } from '../../installers/handlers.js';

/** Building blocks for end-to-end tests against real PostgreSQL clusters on loopback. */

/** The newest installed PostgreSQL; throws (the test fails, never skips) when there is none. */
export function installedVersion(): number {
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/postgres`))
        .map(Number)
        .sort((a, b) => a - b)
    : [];
  if (versions.length === 0) throw new Error('PostgreSQL server is not installed (run scripts/test-deps.sh as root)');
  return versions.at(-1)!;
}

export function testLogger(name: string): Logger {
  return new Logger(join(mkdtempSync(join(tmpdir(), `ha-${name}-`)), 'run.log'));
}

export function pairAnswers(overrides: Partial<Answers>): Answers {
  return {
    ...(applyDefaults({}) as Answers),
    mode: 'master',
    highAvailability: true,
    masterIp: '127.0.0.11',
    slaveIp: '127.0.0.12',
    minRamGb: 0,
    minCores: 1,
    minDiskGb: 0,
    ignoreRequirements: true,
    pingCount: 1,
    probeTimeoutSeconds: 1,
    skipPackages: true,
    extraPackages: [],
    pgVersion: undefined,
    pgCluster: 'main',
    pgPort: 5432,
    pgSocketDir: undefined,
    replicationUser: 'replicator',
    backupPassword: undefined,
    synchronous: false,
    slotName: 'ha_slave',
    masterWaitSeconds: 10,
    replayTimeoutSeconds: 60,
    balancerIp: undefined,
    agentPort: 25432,
    agentTimeoutMs: 1000,
    balancerPort: 15432,
    statsPort: 7000,
    appPort: undefined,
    haproxyConfig: '/etc/haproxy/haproxy.cfg',
    haproxyTemplate: undefined,
    openFirewall: true,
    maxLagMb: 16,
    // These tests build pairs by hand and promote by hand: no monitor left running behind them.
    failoverAutomatic: false,
    ...overrides,
  };
}

let facts: Promise<MachineFacts> | undefined;
export function machineFacts(): Promise<MachineFacts> {
  facts ??= gatherFacts();
  return facts;
}

export async function context(answers: Answers, log: Logger, extra: Partial<PostgresqlContext> = {}): Promise<PostgresqlContext> {
  return { answers, facts: await machineFacts(), log, ...extra };
}

/** Applies actions with the real engine (journal and backups in a temporary directory); returns progress details and timings. */
export async function apply(title: string, actions: Action[], log: Logger, secrets: Record<string, string> = {}): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ha-apply-'));
  const plan = { title, actions, notes: [] };
  const notes: string[] = [];
  const started = new Map<string, number>();
  await applyPlan(plan, {
    log,
    backups: new BackupStore(join(dir, 'backups')),
    journal: new Journal(join(dir, 'journal.json'), plan),
    secrets,
    handlers: installerHandlers,
    stamp: new Date().toISOString().replace(/\D/g, '').slice(0, 14),
    onEvent: (event) => {
      if (event.type === 'start') started.set(event.id, Date.now());
      if (event.type === 'progress' && event.detail) notes.push(`${event.id}: ${event.detail}`);
      if (event.type === 'done') notes.push(`${event.id}: done in ${Date.now() - (started.get(event.id) ?? Date.now())} ms${event.note ? ` (${event.note})` : ''}`);
    },
  });
  return notes;
}
