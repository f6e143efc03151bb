import { readFileSync } from 'node:fs';

/** ha-install's own version, from package.json (two levels up from src/ and from dist/src/). */
function readVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const parsed = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (parsed.name === 'ha-install' && parsed.version) return parsed.version;
    } catch {
      /* try the next location */
    }
  }
  return '0.0.0';
}

export const version = readVersion();
