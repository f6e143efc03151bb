import { defineField, replicates, type FieldSpec } from '../../src/answers/types.js';

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

/** The PostgreSQL installer's slice of the answers file. */
export const postgresqlFields: FieldSpec[] = [
  defineField({ key: 'postgresql.version', prop: 'pgVersion', type: 'integer', min: 10, max: 99, description: 'PostgreSQL major version (default: the one the OS packages provide)' }),
  defineField({
    key: 'postgresql.cluster',
    prop: 'pgCluster',
    type: 'string',
    description: 'cluster name (Debian pg_createcluster), created when missing',
    default: 'main',
    check: (v) => (/^[a-z0-9][a-z0-9_-]*$/i.test(v) ? undefined : { message: `"${v}" is not a cluster name`, fix: 'use letters, digits, - and _' }),
  }),
  defineField({ key: 'postgresql.port', prop: 'pgPort', type: 'integer', min: 1, max: 65535, flag: '--pg-port <port>', description: 'PostgreSQL port, the same on both nodes', default: 5432 }),
  defineField({ key: 'postgresql.socket-dir', prop: 'pgSocketDir', type: 'string', description: 'Unix socket directory (default: the OS default; each cluster on one machine needs its own)' }),
  defineField({
    key: 'postgresql.replication-user',
    prop: 'replicationUser',
    type: 'string',
    description: 'the replication role the slave logs in as',
    default: 'replicator',
    check: (v) => (identifier.test(v) ? undefined : { message: `"${v}" is not a plain role name`, fix: 'use lower-case letters, digits and _' }),
  }),
  defineField({
    key: 'postgresql.backup-password',
    prop: 'backupPassword',
    type: 'secret',
    description: 'the replication ("backup") password: env:NAME or file:PATH (plain text only in a file no one else can read)',
    required: (answers, command) => (command === 'install' ? replicates(answers) : command === 'restore-master'),
    example: 'env:HA_BACKUP_PASSWORD',
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
    check: (v) => (identifier.test(v) ? undefined : { message: `"${v}" is not a valid slot name`, fix: 'use lower-case letters, digits and _' }),
  }),
  defineField({ key: 'postgresql.master-wait-seconds', prop: 'masterWaitSeconds', type: 'integer', min: 0, max: 3600, description: 'how long the slave waits for the master to be ready', default: 300 }),
  defineField({
    key: 'recovery.replay-timeout-seconds',
    prop: 'replayTimeoutSeconds',
    type: 'integer',
    min: 0,
    max: 3600,
    description: 'promote: how long to let the standby replay the WAL it has received before it becomes the primary',
    default: 60,
  }),
];
