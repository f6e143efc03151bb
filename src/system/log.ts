import { appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openLogFile } from './safe-write.js';
import { ensureDirectory } from './user-paths.js';

/**
 * The run's log file: every command, its output and every decision, with timestamps.
 * Secrets registered with `redact()` are replaced by `********` in everything written, so a
 * password that leaks into a command's output still never reaches the disk.
 */
export class Logger {
  private readonly secrets = new Set<string>();
  /** Written through one descriptor opened without following links (safe-write.ts). */
  private readonly descriptor: number | undefined;

  constructor(readonly path: string | undefined) {
    if (path) {
      ensureDirectory(dirname(path));
      this.descriptor = openLogFile(path);
    }
  }

  /** Whether `value` is a registered secret (exec.ts keeps such values out of children's environments). */
  isSecret(value: string): boolean {
    return this.secrets.has(value);
  }

  /** Never write this value: replace it wherever it appears. */
  redact(secret: string | undefined): void {
    if (secret && secret.length >= 3) this.secrets.add(secret);
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('********');
    return out;
  }

  write(kind: string, text: string): void {
    if (this.descriptor === undefined) return;
    const stamp = new Date().toISOString();
    const body = this.scrub(text)
      .split('\n')
      .map((line) => `${stamp} ${kind.padEnd(6)} ${line}`)
      .join('\n');
    appendFileSync(this.descriptor, body + '\n');
  }

  info(text: string): void {
    this.write('info', text);
  }

  warn(text: string): void {
    this.write('warn', text);
  }
}

/** A logger that writes nowhere: for `answers validate` and unit tests. */
export const silentLogger = (): Logger => new Logger(undefined);
