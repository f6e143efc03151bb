import { statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type { Problem } from '../system/errors.js';
import { readRegularFile } from '../system/safe-read.js';
import { excerpt, pathTextProblem } from '../system/text-checks.js';
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

const envName = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** A password file holds one line; anything bigger is not one. */
const SECRET_FILE_MAX_BYTES = 64 * 1024;
const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

function fromEnv(name: string, ctx: SecretContext): SecretResult {
  const field = ctx.key;
  if (!envName.test(name)) {
    return { problem: { field, message: `env:${excerpt(name)} is not a valid environment variable name`, fix: 'use letters, digits and _ (at most 128), e.g. env:HA_BACKUP_PASSWORD' } };
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
  const pathWrong = pathTextProblem(path);
  if (pathWrong) return { problem: { field, message: `the secret file path ${pathWrong}`, fix: 'give the path of a file holding the password on its first line' } };
  // Relative to the answers file, so an answers file and its secret file can move together.
  const full = resolvePath(ctx.filePath ? dirname(ctx.filePath) : process.cwd(), path);
  const read = readRegularFile(full, SECRET_FILE_MAX_BYTES);
  if (!read.ok) {
    const fix = read.reason === 'not-regular' || read.reason === 'too-large' ? 'point file: at a regular file holding the password on its first line' : 'create it with the password on its first line and chmod 600 it, or use env:NAME';
    return { problem: { field, message: `secret file ${full} ${read.detail}`, fix } };
  }
  const mode = fileModeOf(full);
  if (mode === undefined || (mode & 0o077) !== 0) {
    return { problem: { field, message: `secret file ${full} can be read by group or others (mode ${mode === undefined ? 'unknown' : octal(mode)}); refused`, fix: `chmod 600 ${full}` } };
  }
  const text = read.text;
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine === '') return { problem: { field, message: `secret file ${full} has an empty first line`, fix: 'put the password on the first line of the file' } };
  return { secret: { source: 'file', ref: `file:${full}`, value: firstLine } };
}

function fileModeOf(path: string): number | undefined {
  try {
    return statSync(path).mode;
  } catch {
    return undefined; // vanished since it was read: refused as unknown
  }
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
