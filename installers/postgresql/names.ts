import { HBA_KEYWORDS } from './file-formats.js';

/**
 * Names ha-install gives PostgreSQL objects: plain lower-case identifiers of at most 63 bytes
 * (NAMEDATALEN - 1), which need no quoting in SQL, pg_hba.conf, a conninfo string or a path.
 */
export const IDENTIFIER_MAX_BYTES = 63;
const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * Role names the replication role must never take: the bootstrap superuser every Debian
 * cluster has, names PostgreSQL reserves or reads as keywords (`public`, `current_user`...),
 * and pg_hba.conf's keywords. `pg_*` is PostgreSQL's own prefix (pg_monitor, pg_read_all_data).
 */
export const RESERVED_ROLE_NAMES = ['postgres', 'public', 'none', 'current_user', 'current_role', 'session_user', 'user', 'default', ...HBA_KEYWORDS];

export function identifierProblem(value: string, what: string): { message: string; fix: string } | undefined {
  if (identifier.test(value) && value.length <= IDENTIFIER_MAX_BYTES) return undefined;
  const why = value.length > IDENTIFIER_MAX_BYTES ? `is ${value.length} characters long (at most ${IDENTIFIER_MAX_BYTES})` : `is not a plain ${what}`;
  return { message: why, fix: `use lower-case letters, digits and _ (starting with a letter or _), at most ${IDENTIFIER_MAX_BYTES} characters` };
}

export function replicationRoleProblem(value: string): { message: string; fix: string } | undefined {
  const plain = identifierProblem(value, 'role name');
  if (plain) return plain;
  const fix = 'choose a name of the replication role\'s own that no other role has, e.g. replicator (the default) or ha_replicator';
  if (value.startsWith('pg_')) return { message: `"${value}" is in the pg_ namespace PostgreSQL keeps for its predefined roles`, fix };
  if (RESERVED_ROLE_NAMES.includes(value)) {
    const why = value === 'postgres' ? 'is the superuser of every Debian cluster: making it the replication role would reset its password and let the peer in as superuser' : 'is reserved by PostgreSQL or read as a keyword in pg_hba.conf';
    return { message: `"${value}" ${why}`, fix };
  }
  return undefined;
}

/**
 * Set with COMMENT ON ROLE when ha-install creates the replication role: how a later run (and
 * the slave) tells a role of its own from one that was there before, which it must not touch.
 */
export const ROLE_MARKER = 'ha-install replication role';

/** The refusal of an existing role ha-install did not create (or that became a superuser). */
export function foreignRoleFix(user: string): string {
  return `choose another name with postgresql.replication-user (e.g. ha_replicator): ha-install creates that role and uses it alone. If an earlier ha-install created ${user}, mark it as ours: COMMENT ON ROLE ${user} IS '${ROLE_MARKER}'`;
}
