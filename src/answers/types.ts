/**
 * The answers: everything the wizard asks, in one flat object. The answers file spells the
 * same things as dotted kebab-case keys (`postgresql.replication-user`); each FieldSpec maps
 * one key to one property. Components own their slice: src/answers/core-fields.ts (mode,
 * addresses, requirements, reachability), installers/packages/fields.ts,
 * installers/postgresql/fields.ts.
 */

export const modes = ['standalone', 'master', 'slave', 'load-balancer'] as const;

/** The commands that run a flow; an answer may be required by one and not by another. */
export type CommandName = 'install' | 'promote' | 'restore-master' | 'service' | 'switchover' | 'teardown';
export type Mode = (typeof modes)[number];

/** Modes that are half of a pair (the load balancer fronts one). */
export const isHa = (a: Partial<Pick<Answers, 'mode'>>) => a.mode === 'master' || a.mode === 'slave' || a.mode === 'load-balancer';
/** Modes that run PostgreSQL streaming replication. */
export const replicates = (a: Partial<Pick<Answers, 'mode'>>) => a.mode === 'master' || a.mode === 'slave';

/** Motadata's menu numbers: 1 standalone, 2 HA master, 3 HA slave, 4 load balancer. */
export const modeNumbers: Record<string, Mode> = { '1': 'standalone', '2': 'master', '3': 'slave', '4': 'load-balancer' };

/** How the menu, the plan and the summary name each mode. */
export const modeTitles: Record<Mode, string> = { standalone: 'Standalone', master: 'HA master', slave: 'HA slave', 'load-balancer': 'Load balancer' };

/** A secret as given: the value lives only in memory; `ref` (env:NAME or file:PATH) is what may be saved. */
export interface Secret {
  source: 'env' | 'file' | 'plain' | 'prompt';
  ref?: string;
  value: string;
}

export interface Answers {
  mode: Mode;
  highAvailability: boolean;
  masterIp: string;
  slaveIp: string;
  minRamGb: number;
  minCores: number;
  minDiskGb: number;
  ignoreRequirements: boolean;
  pingCount: number;
  probeTimeoutSeconds: number;
  skipPackages: boolean;
  extraPackages: string[];
  pgVersion: number | undefined;
  pgCluster: string;
  pgPort: number;
  pgSocketDir: string | undefined;
  replicationUser: string;
  backupPassword: Secret | undefined;
  synchronous: boolean;
  slotName: string;
  masterWaitSeconds: number;
  replayTimeoutSeconds: number;
  /** The load balancer's own address: where HAProxy listens, and what the nodes' pg_hba admits. */
  balancerIp: string | undefined;
  agentPort: number;
  agentTimeoutMs: number;
  balancerPort: number;
  statsPort: number;
  appPort: number | undefined;
  haproxyConfig: string;
  haproxyTemplate: string | undefined;
  openFirewall: boolean;
  failoverAutomatic: boolean;
  failoverIntervalMs: number;
  failoverCheckTimeoutMs: number;
  failoverFailures: number;
  fenceAfterSeconds: number;
  failoverAfterSeconds: number;
  pingTargets: string[];
  pingGateway: boolean;
  witnessPort: number;
  eventScript: string | undefined;
  eventTimeoutSeconds: number;
  maxLagMb: number;
}

export type AnswerKey = keyof Answers;

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'address' | 'secret' | 'string-list';

export interface FieldSpec<K extends AnswerKey = AnswerKey> {
  /** The answers-file key, dotted kebab-case: `master-ip`, `postgresql.port`. */
  key: string;
  prop: K;
  type: FieldType;
  /** The command-line flag that answers it, if any, e.g. `--master-ip <address>`. */
  flag?: string;
  /** One line for the template, `--help` and error messages. */
  description: string;
  values?: readonly string[];
  min?: number;
  max?: number;
  /** Text and list items: the most UTF-8 bytes accepted (default DEFAULT_MAX_BYTES). */
  maxBytes?: number;
  /** Lists: the most items accepted (default DEFAULT_MAX_ITEMS). */
  maxItems?: number;
  /** The rules the field's own check adds, in words, for the README's answers reference. */
  limits?: string;
  /** Used when neither a flag, the file nor a prompt gave a value. `undefined`: no default. */
  default?: Answers[K];
  /** Shown in `answers init`. */
  example?: unknown;
  /** A value is needed for this run of `command` (given what else is answered). Default: never required. */
  required?: (answers: Partial<Answers>, command: CommandName) => boolean;
  /** Extra checks on a well-typed value; returns what is wrong and how to fix it. */
  check?: (value: Answers[K], answers: Partial<Answers>) => { message: string; fix: string } | undefined;
}

/** Every text answer is bounded: names and paths are short, and each one lands in a file or an argv. */
export const DEFAULT_MAX_BYTES = 255;
export const DEFAULT_MAX_ITEMS = 100;

/** Keeps a field's value type checked against its property while letting fields share one list. */
export function defineField<K extends AnswerKey>(spec: FieldSpec<K>): FieldSpec {
  return spec as unknown as FieldSpec;
}
