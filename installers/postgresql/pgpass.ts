import { readFileSync } from 'node:fs';
import { pgpassPath } from './context.js';
import { pgpassFields } from './file-formats.js';

/**
 * The password libpq would use for host:port and user, from the postgres user's .pgpass (the
 * first matching line wins, `*` matches anything): how flows reach the peer without asking
 * again for a password the install stored. Root reads the file; nothing else needs to.
 */
export function passwordFor(host: string, port: number, user: string, path = pgpassPath({})): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const matches = (pattern: string | undefined, value: string) => pattern === '*' || pattern === value;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [h, p, , u, password] = pgpassFields(line);
    if (matches(h, host) && matches(p, String(port)) && matches(u, user) && password !== undefined) return password;
  }
  return undefined;
}
