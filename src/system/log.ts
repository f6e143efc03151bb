import { appendFileSync, mkdirSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The run's log file: every command, its output and every decision, with timestamps.
 * Secrets registered with `redact()` are replaced by `********` in everything written, so a
 * password that leaks into a command's output still never reaches the disk.
 */
export class Logger {
  private readonly secrets = new Set<string>();

  constructor(readonly path: string | undefined) {
    if (path) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      appendFileSync(path, '', { mode: 0o600 });
      chmodSync(path, 0o600);
    }
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
    if (!this.path) return;
    const stamp = new Date().toISOString();
    const body = this.scrub(text)
      .split('\n')
      .map((line) => `${stamp} ${kind.padEnd(6)} ${line}`)
      .join('\n');
    appendFileSync(this.path, body + '\n');
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
