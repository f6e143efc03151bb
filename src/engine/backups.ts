import { copyFile, mkdir, stat, cp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Every file the tool changes is copied here first: `<state>/backups/<run stamp>/<absolute path>`,
 * keeping mode and owner (cp -p semantics). One copy per file per run: the first, untouched one.
 */
export class BackupStore {
  private readonly done = new Map<string, string>();

  constructor(readonly directory: string) {}

  async backup(path: string): Promise<string | undefined> {
    if (!existsSync(path)) return undefined;
    const known = this.done.get(path);
    if (known) return known;
    const target = join(this.directory, path);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    const info = await stat(path);
    if (info.isDirectory()) await cp(path, target, { recursive: true, preserveTimestamps: true });
    else await copyFile(path, target);
    this.done.set(path, target);
    return target;
  }

  get files(): string[] {
    return [...this.done.keys()];
  }
}
