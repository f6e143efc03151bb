import { readFileSync } from 'node:fs';
import { ApplyError } from './errors.js';

/** Looks up a user's uid/gid in /etc/passwd (no dependency on `id` output formats). */
export function userIds(name: string): { uid: number; gid: number; home: string } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new ApplyError(`The OS user "${name}" does not exist.`, { nextSteps: [`Install the package that creates it (PostgreSQL creates "postgres").`] });
  const parts = line.split(':');
  return { uid: Number(parts[2]), gid: Number(parts[3]), home: parts[5] ?? '/' };
}
