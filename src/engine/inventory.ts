import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureDirectory } from '../system/user-paths.js';

/**
 * What ha-install created on this node, recorded by the engine as each action that creates
 * something finishes (the action says so in its `creates`), and read by `teardown`, which plans
 * one removal per item and forgets each item once it is removed. So teardown never guesses, and
 * a second teardown finds nothing to do. Kinds are data the engine does not interpret; the
 * installer that records a kind is the one that knows how to remove it (installers/postgresql/
 * teardown.ts). A later installer (the agent, the monitor) adds its own kind the same way.
 */
export type InventoryItem =
  /** A whole file ha-install wrote (the guard wrapper, its JSON, the conf.d file). */
  | { kind: 'file'; path: string }
  /** A marked block `# BEGIN marker` in a file that is not ours (pg_hba.conf, pg_ctl.conf). */
  | { kind: 'block'; path: string; marker: string }
  /** Our lines in the postgres user's .pgpass: host, port, user (never the password). */
  | { kind: 'pgpass'; path: string; entries: Array<{ host: string; port: number; user: string }> }
  /** The conf.d file: teardown rewrites it without the standby settings (listen_addresses and port stay). */
  | { kind: 'conf'; path: string }
  /** A PostgreSQL object on the cluster: the replication role, the slot, the switchover functions. */
  | { kind: 'role' | 'slot' | 'function'; cluster: string; name: string }
  /** The build copy the start guard runs (shared by every cluster of this machine that uses it). */
  | { kind: 'runtime'; dir: string }
  /** A service ha-install installed (the agent, the monitor): a systemd unit file or a supervised process. */
  | { kind: 'service'; name: string; unitFile?: string };

export interface InventoryEntry {
  item: InventoryItem;
  /** The command and time that first recorded it. */
  by: string;
  at: string;
}

interface InventoryFile {
  format: 1;
  entries: InventoryEntry[];
}

/** One key per thing: recording it again (a re-run of the install) changes nothing. */
export function itemKey(item: InventoryItem): string {
  switch (item.kind) {
    case 'file':
    case 'conf':
    case 'pgpass':
      return `${item.kind}:${item.path}`;
    case 'block':
      return `block:${item.path}#${item.marker}`;
    case 'runtime':
      return `runtime:${item.dir}`;
    case 'service':
      return `service:${item.name}`;
    default:
      return `${item.kind}:${item.cluster}:${item.name}`;
  }
}

export const inventoryPath = (stateDir: string) => join(stateDir, 'inventory.json');

export class Inventory {
  private state: InventoryFile;

  constructor(readonly path: string, private readonly by: string) {
    this.state = Inventory.read(path) ?? { format: 1, entries: [] };
  }

  static read(path: string): InventoryFile | undefined {
    if (!existsSync(path)) return undefined;
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<InventoryFile>;
    return { format: 1, entries: Array.isArray(parsed.entries) ? parsed.entries : [] };
  }

  get entries(): InventoryEntry[] {
    return [...this.state.entries];
  }

  has(item: InventoryItem): boolean {
    return this.state.entries.some((e) => itemKey(e.item) === itemKey(item));
  }

  /** Records what an action created; the first record of a thing stays (pgpass entries are merged). */
  record(item: InventoryItem): void {
    const known = this.state.entries.find((e) => itemKey(e.item) === itemKey(item));
    if (known && known.item.kind === 'pgpass' && item.kind === 'pgpass') {
      const seen = new Set(known.item.entries.map((e) => JSON.stringify(e)));
      known.item.entries.push(...item.entries.filter((e) => !seen.has(JSON.stringify(e))));
    } else if (!known) this.state.entries.push({ item, by: this.by, at: new Date().toISOString() });
    else return;
    this.save();
  }

  /** Teardown removed it. */
  forget(key: string): void {
    const before = this.state.entries.length;
    this.state.entries = this.state.entries.filter((e) => itemKey(e.item) !== key);
    if (this.state.entries.length !== before) this.save();
  }

  private save(): void {
    ensureDirectory(dirname(this.path));
    writeFileSync(`${this.path}.tmp`, JSON.stringify(this.state, null, 2) + '\n', { mode: 0o600 });
    renameSync(`${this.path}.tmp`, this.path); // atomic: a kill -9 never leaves half an inventory
  }
}
