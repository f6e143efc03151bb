import { defineField, replicates, type FieldSpec } from '../../src/answers/types.js';
import { PASSWORD_MAX_BYTES, passwordProblem, SOCKET_DIR_MAX_BYTES, socketDirProblem } from './file-formats.js';
import { IDENTIFIER_MAX_BYTES, identifierProblem, replicationRoleProblem } from './names.js';

const CLUSTER_MAX = 63;
const identifierLimits = 'lower-case letters, digits and _, starting with a letter or _';

/** The PostgreSQL installer's slice of the answers file. */
export const postgresqlFields: FieldSpec[] = [
  defineField({ key: 'postgresql.version', prop: 'pgVersion', type: 'integer', min: 10, max: 99, description: 'PostgreSQL major version (default: the one the OS packages provide)' }),
  defineField({
    key: 'postgresql.cluster',
    prop: 'pgCluster',
    type: 'string',
    description: 'cluster name (Debian pg_createcluster), created when missing',
    default: 'main',
    maxBytes: CLUSTER_MAX,
    limits: `letters, digits, - and _, starting with a letter or digit (it names folders and a systemd unit)`,
    check: (v) => (/^[a-z0-9][a-z0-9_-]*$/i.test(v) ? undefined : { message: `${JSON.stringify(v)} is not a cluster name`, fix: 'use letters, digits, - and _' }),
  }),
  defineField({ key: 'postgresql.port', prop: 'pgPort', type: 'integer', min: 1, max: 65535, flag: '--pg-port <port>', description: 'PostgreSQL port, the same on both nodes', default: 5432 }),
  defineField({
    key: 'postgresql.socket-dir',
    prop: 'pgSocketDir',
    type: 'string',
    description: 'Unix socket directory (default: the OS default; each cluster on one machine needs its own)',
    maxBytes: SOCKET_DIR_MAX_BYTES,
    limits: 'an absolute path without control characters, commas, double quotes, . or .. parts (a Unix socket path has at most 107 bytes)',
    check: (v) => (v === undefined ? undefined : socketDirProblem(v)),
  }),
  defineField({
    key: 'postgresql.replication-user',
    prop: 'replicationUser',
    type: 'string',
    description: 'the replication role the slave logs in as',
    default: 'replicator',
    maxBytes: IDENTIFIER_MAX_BYTES,
    limits: `${identifierLimits}; not postgres, public, a pg_ name or another reserved name; on the master not an existing role that ha-install did not create`,
    check: replicationRoleProblem,
  }),
  defineField({
    key: 'postgresql.backup-password',
    prop: 'backupPassword',
    type: 'secret',
    description: 'the replication ("backup") password: env:NAME or file:PATH (plain text only in a file no one else can read)',
    required: (answers, command) => (command === 'install' ? replicates(answers) : command === 'restore-master'),
    example: 'env:HA_BACKUP_PASSWORD',
    limits: `1 to ${PASSWORD_MAX_BYTES} bytes, no control characters (line breaks, tabs); on the master at least 12 characters using 3 of: lower-case, upper-case, digits, symbols`,
    // Never echoes the value: the message names what is wrong with it only.
    check: (secret) => (secret === undefined ? undefined : passwordProblem(secret.value)),
  }),
  defineField({
    key: 'postgresql.synchronous',
    prop: 'synchronous',
    type: 'boolean',
    flag: '--synchronous',
    description: 'synchronous replication: no acknowledged commit is lost on failover, but every write waits for the slave',
    default: false,
  }),
  defineField({
    key: 'postgresql.slot',
    prop: 'slotName',
    type: 'string',
    description: 'physical replication slot the slave streams from',
    default: 'ha_slave',
    maxBytes: IDENTIFIER_MAX_BYTES,
    limits: identifierLimits,
    check: (v) => identifierProblem(v, 'slot name'),
  }),
  defineField({ key: 'postgresql.master-wait-seconds', prop: 'masterWaitSeconds', type: 'integer', min: 0, max: 3600, description: 'how long the slave waits for the master to be ready', default: 300 }),
  defineField({
    key: 'recovery.replay-timeout-seconds',
    prop: 'replayTimeoutSeconds',
    type: 'integer',
    min: 0,
    max: 3600,
    description: 'promote and switchover: how long to let the standby replay the WAL it has received before it becomes the primary',
    default: 60,
  }),
  defineField({
    key: 'recovery.max-lag-mb',
    prop: 'maxLagMb',
    type: 'integer',
    min: 0,
    max: 1048576,
    description: 'switchover: refused while the standby is further behind its master than this many MB of WAL',
    default: 16,
  }),
];
