import { checkAddress } from '../../src/system/address.js';
import { BugError } from '../../src/system/errors.js';
import { byteLength, controlCharacter, pathTextProblem } from '../../src/system/text-checks.js';

/**
 * One quoting function per file PostgreSQL reads, each with the check that says what the file
 * can carry. The answers fields call the checks (so a bad value is refused with its field named,
 * before anything runs); the writers call the quoting functions, which refuse what the checks
 * would have refused: a value that slipped past validation is a bug, never a file with an extra
 * line in it.
 */

// ---- postgresql.conf (conf.d) ------------------------------------------------------------

/** What a quoted postgresql.conf value cannot hold: its lexer ends a string at a line break. */
export function gucProblem(value: string): string | undefined {
  const control = controlCharacter(value);
  return control ? `contains ${control}, which postgresql.conf cannot hold in a value` : undefined;
}

/** A GUC value in single quotes, as postgresql.conf reads it (`\` and `'` escaped). */
export function gucString(value: string): string {
  const wrong = gucProblem(value);
  if (wrong) throw new BugError(`a postgresql.conf value ${wrong}: it should have been refused when the answers were checked`);
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * unix_socket_directories holds one directory here. The socket is `<dir>/.s.PGSQL.<port>`, and
 * a Unix socket path has at most 107 bytes: with a five-digit port that leaves 92 for the folder.
 */
export const SOCKET_DIR_MAX_BYTES = 92;

export function socketDirProblem(value: string): { message: string; fix: string } | undefined {
  const fix = `give an absolute folder of at most ${SOCKET_DIR_MAX_BYTES} bytes, e.g. /var/run/postgresql/ha`;
  const text = pathTextProblem(value, { absolute: true, maxBytes: SOCKET_DIR_MAX_BYTES });
  if (text) return { message: text, fix };
  // A comma starts a second directory and a double quote quotes one (unix_socket_directories, psql -h).
  if (/[,"]/.test(value)) return { message: 'contains a comma or a double quote, which unix_socket_directories reads as a list', fix };
  if (value.split('/').some((part) => part === '.' || part === '..')) return { message: 'contains . or .. parts', fix: 'write the folder without . or .. parts' };
  return undefined;
}

// ---- pg_hba.conf -------------------------------------------------------------------------

/** Words pg_hba.conf reads as keywords in its user and database columns, not as names. */
export const HBA_KEYWORDS = ['all', 'sameuser', 'samerole', 'samegroup', 'replication'];
const plainName = /^[a-z_][a-z0-9_]{0,62}$/;

/** A role name as a pg_hba.conf token: only plain names (no quoting, no +group, no @file). */
export function hbaName(name: string): string {
  if (!plainName.test(name) || HBA_KEYWORDS.includes(name)) throw new BugError(`"${name}" cannot be written as a pg_hba.conf user name`);
  return name;
}

/** The /32 or /128 network of one address: an IP in canonical form, never a name or a zone id. */
export function hbaNetwork(address: string): string {
  const checked = checkAddress(address);
  if (!checked.ok || checked.kind === 'hostname' || checked.value !== address) throw new BugError(`"${address}" is not a canonical IP address for pg_hba.conf`);
  return checked.kind === 'ipv6' ? `${address}/128` : `${address}/32`;
}

// ---- .pgpass -------------------------------------------------------------------------------

/**
 * libpq reads .pgpass line by line; before PostgreSQL 13 a line longer than 320 bytes was cut.
 * Our line is an address (at most 39), a port, `*`, a role (at most 63) and the password with
 * `:` and `\` doubled: 100 bytes of password keep it under that.
 */
export const PASSWORD_MAX_BYTES = 100;

export function passwordProblem(password: string): { message: string; fix: string } | undefined {
  const control = controlCharacter(password);
  if (control) return { message: `contains ${control}`, fix: 'choose a password without line breaks, tabs or other control characters (.pgpass holds it on one line)' };
  const bytes = byteLength(password);
  if (bytes > PASSWORD_MAX_BYTES) return { message: `is ${bytes} bytes long; at most ${PASSWORD_MAX_BYTES} are accepted`, fix: `choose a password of at most ${PASSWORD_MAX_BYTES} bytes` };
  return undefined;
}

// ---- libpq connection strings (primary_conninfo, pg_rewind's --source-server) ------------

/** A connection-string value: bare when libpq reads it so, else in single quotes with `\` and `'` escaped. */
export function conninfoValue(value: string): string {
  if (controlCharacter(value)) throw new BugError('a connection-string value contains a control character: it should have been refused when the answers were checked');
  return /^[\w./:@-]+$/.test(value) ? value : `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** A whole connection string from its keywords and values, in order. */
export function conninfoString(pairs: Array<[string, string | number]>): string {
  return pairs.map(([key, value]) => `${key}=${conninfoValue(String(value))}`).join(' ');
}

/** One .pgpass field: `\` and `:` escaped with `\`, as libpq reads them. */
export function pgpassField(value: string): string {
  if (controlCharacter(value)) throw new BugError('a .pgpass field contains a control character: it should have been refused when the answers were checked');
  return value.replaceAll('\\', '\\\\').replaceAll(':', '\\:');
}

/** The fields of a .pgpass line, unescaped, as libpq splits it. */
export function pgpassFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) current += line[++i];
    else if (ch === ':' && fields.length < 4) {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  return [...fields, current];
}
