import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type { Problem } from '../system/errors.js';
import type { Secret } from './types.js';

/**
 * Secrets in an answers file: `env:NAME`, `file:PATH`, or plain text in a file no one else can
 * read (like ~/.pgpass). No message built here ever contains the secret's value: problems end
 * up in logs, terminals and CI output.
 */
export interface SecretContext {
  /** The answers-file key, for Problem.field. */
  key: string;
  /** The answers file: relative file: paths are taken from its folder, and its mode decides plain text. */
  filePath?: string;
  fileMode?: number;
  env: NodeJS.ProcessEnv;
}

export type SecretResult = { secret?: Secret; problem?: Problem };

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

function fromEnv(name: string, ctx: SecretContext): SecretResult {
  const field = ctx.key;
  if (!envName.test(name)) {
    return { problem: { field, message: `env:${name} is not a valid environment variable name`, fix: 'use letters, digits and _, e.g. env:HA_BACKUP_PASSWORD' } };
  }
  const value = ctx.env[name];
  if (value === undefined || value === '') {
    return {
      problem: {
        field,
        message: `environment variable ${name} is ${value === undefined ? 'not set' : 'empty'}`,
        fix: `export ${name}=... before running; under sudo keep it with sudo -E, or run sudo ${name}=... ha-install`,
      },
    };
  }
  return { secret: { source: 'env', ref: `env:${name}`, value } };
}

function fromFile(path: string, ctx: SecretContext): SecretResult {
  const field = ctx.key;
  // Relative to the answers file, so an answers file and its secret file can move together.
  const full = resolvePath(ctx.filePath ? dirname(ctx.filePath) : process.cwd(), path);
  let mode: number;
  let text: string;
  try {
    const stat = statSync(full);
    if (!stat.isFile()) return { problem: { field, message: `secret file ${full} is not a regular file`, fix: 'point file: at a file holding the password on its first line' } };
    mode = stat.mode;
    if ((mode & 0o077) !== 0) {
      return { problem: { field, message: `secret file ${full} can be read by group or others (mode ${octal(mode)}); refused`, fix: `chmod 600 ${full}` } };
    }
    text = readFileSync(full, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? 'error'})`;
    return { problem: { field, message: `secret file ${full} ${why}`, fix: 'create it with the password on its first line and chmod 600 it, or use env:NAME' } };
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine === '') return { problem: { field, message: `secret file ${full} has an empty first line`, fix: 'put the password on the first line of the file' } };
  return { secret: { source: 'file', ref: `file:${full}`, value: firstLine } };
}

function fromPlainText(value: string, ctx: SecretContext): SecretResult {
  const field = ctx.key;
  const where = ctx.filePath ?? 'the answers file';
  const fix = `use env:NAME or file:PATH, or chmod 600 ${ctx.filePath ?? '<answers file>'}`;
  if (ctx.fileMode === undefined) {
    return { problem: { field, message: `is a plaintext secret and the permissions of ${where} are unknown; refused`, fix } };
  }
  if ((ctx.fileMode & 0o077) !== 0) {
    return { problem: { field, message: `is a plaintext secret in ${where}, which others can read (mode ${octal(ctx.fileMode)}); refused`, fix } };
  }
  return { secret: { source: 'plain', value } };
}

/** Resolves one secret answer as written in the answers file. */
export function resolveSecret(value: unknown, ctx: SecretContext): SecretResult {
  if (typeof value !== 'string' || value === '') {
    const given = value === null || value === '' ? 'nothing' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    return { problem: { field: ctx.key, message: `expected env:NAME, file:PATH or the password itself, got ${given}`, fix: `e.g. ${ctx.key.slice(ctx.key.lastIndexOf('.') + 1)}: env:HA_BACKUP_PASSWORD` } };
  }
  if (value.startsWith('env:')) return fromEnv(value.slice(4).trim(), ctx);
  if (value.startsWith('file:')) return fromFile(value.slice(5).trim(), ctx);
  return fromPlainText(value, ctx);
}
