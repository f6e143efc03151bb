import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * SCRAM-SHA-256 verifiers computed here, so `ALTER ROLE ... PASSWORD '<verifier>'` never sends
 * the plain password to the server: it cannot end up in the server log (log_statement,
 * a failed statement), in pg_stat_activity or in the shell history of a DBA.
 */

const ITERATIONS = 4096; // PostgreSQL's default scram_iterations

/**
 * SASLprep (RFC 4013) as node-postgres and libpq apply it before hashing: non-ASCII spaces
 * become spaces, "commonly mapped to nothing" characters go, then NFKC. Without it a password
 * such as "pässwörd" typed in a decomposed form would hash differently from what clients send.
 */
export function saslPrep(password: string): string {
  const nonAsciiSpace = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g;
  // eslint-disable-next-line no-misleading-character-class
  const mappedToNothing = /[\u00AD\u034F\u1806\u180B\u180C\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/g;
  return password.replace(nonAsciiSpace, ' ').replace(mappedToNothing, '').normalize('NFKC');
}

function keys(password: string, salt: Buffer, iterations: number): { storedKey: Buffer; serverKey: Buffer } {
  const salted = pbkdf2Sync(Buffer.from(saslPrep(password), 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  return {
    storedKey: createHash('sha256').update(clientKey).digest(),
    serverKey: createHmac('sha256', salted).update('Server Key').digest(),
  };
}

/** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, the form pg_authid.rolpassword holds. */
export function scramVerifier(password: string, options: { salt?: Buffer; iterations?: number } = {}): string {
  const salt = options.salt ?? randomBytes(16);
  const iterations = options.iterations ?? ITERATIONS;
  const { storedKey, serverKey } = keys(password, salt, iterations);
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

const verifierPattern = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;

/**
 * True when `verifier` (from pg_authid) was made from `password`: a re-run then leaves the role
 * alone instead of writing a new salt every time.
 */
export function scramMatches(password: string, verifier: string | undefined | null): boolean {
  const m = verifier?.match(verifierPattern);
  if (!m) return false;
  const { storedKey, serverKey } = keys(password, Buffer.from(m[2]!, 'base64'), Number(m[1]));
  const expected = Buffer.concat([storedKey, serverKey]);
  const actual = Buffer.concat([Buffer.from(m[3]!, 'base64'), Buffer.from(m[4]!, 'base64')]);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
