import { existsSync, readFileSync } from 'node:fs';
import type { Action } from '../../src/engine/actions.js';
import { itemKey, type InventoryEntry, type InventoryItem } from '../../src/engine/inventory.js';
import { pgpassFields } from './file-formats.js';
import { removeServiceAction } from '../services/plan.js';
import type { Runtime } from '../../src/system/runtime.js';

/**
 * Teardown's file side: one action per thing the inventory lists, each backed up before it
 * changes, each forgetting its item once done. Nothing the inventory does not list is touched.
 */

/** Our conf.d file without the settings that only count on a standby (listen_addresses, port and the rest stay). */
export function standaloneConf(text: string): string {
  const standby = /^\s*(primary_conninfo|primary_slot_name)\s*=/;
  return text
    .split('\n')
    .filter((line) => !standby.test(line) && !/primary_conninfo and primary_slot_name only count on a standby/.test(line))
    .join('\n');
}

/** .pgpass without our lines (host, port, user as recorded); the admin's own lines and comments stay. */
export function withoutPgpassEntries(text: string, entries: Array<{ host: string; port: number; user: string }>): string {
  const ours = new Set(entries.map((e) => JSON.stringify([e.host, String(e.port), e.user])));
  const kept = text.split('\n').filter((line) => {
    if (line.trim() === '') return false;
    if (line.startsWith('#')) return true;
    const fields = pgpassFields(line);
    return !ours.has(JSON.stringify([fields[0], fields[1], fields[3]]));
  });
  return kept.length > 0 ? kept.join('\n') + '\n' : '';
}

function removalOf(entry: InventoryEntry): Action[] {
  const item: InventoryItem = entry.item;
  const removes = [itemKey(item)];
  switch (item.kind) {
    case 'file':
      return [{ kind: 'remove', id: `teardown.${itemKey(item)}`, title: `Remove ${item.path}`, path: item.path, removes }];
    case 'block':
      return [{ kind: 'remove', id: `teardown.${itemKey(item)}`, title: `Remove ha-install's block from ${item.path}`, path: item.path, marker: item.marker, removes }];
    case 'conf': {
      if (!existsSync(item.path)) return [{ kind: 'remove', id: `teardown.${itemKey(item)}`, title: `${item.path} is gone already`, path: item.path, removes }];
      const content = standaloneConf(readFileSync(item.path, 'utf8'));
      return [{ kind: 'file', id: `teardown.${itemKey(item)}`, title: `Remove the standby settings from ${item.path}`, path: item.path, content, mode: 0o644, owner: 'postgres', removes }];
    }
    case 'pgpass': {
      const text = existsSync(item.path) ? readFileSync(item.path, 'utf8') : '';
      const content = withoutPgpassEntries(text, item.entries);
      const who = item.entries.map((e) => `${e.user}@${e.host}:${e.port}`).join(', ');
      return content === ''
        ? [{ kind: 'remove', id: `teardown.${itemKey(item)}`, title: `Remove ${item.path} (it held only ${who})`, path: item.path, removes }]
        : [{ kind: 'file', id: `teardown.${itemKey(item)}`, title: `Remove the lines for ${who} from ${item.path}`, path: item.path, content, mode: 0o600, owner: 'postgres', secret: true, removes }];
    }
    case 'runtime':
      return [
        {
          kind: 'step',
          id: `teardown.${itemKey(item)}`,
          title: `Keep the ha-install build ${item.dir} (other clusters of this machine may run it); it is no longer referenced from here`,
          detail: [`remove it by hand once no /etc/postgresql/*/*/ha-install-postgres names it`],
          removes,
          run: async () => 'kept',
        },
      ];
    case 'service':
      return []; // serviceRemovals: first of all, before PostgreSQL is touched
    default:
      return []; // roles, slots and functions are SQL: teardown.ts plans them on the server
  }
}

/**
 * The services the install started (the health agent, the failover monitor), stopped and
 * removed first: a monitor left running while its node is torn down would see its pair break
 * and fence or promote. The unit file and the registry entry are backed up, then removed.
 */
export function serviceRemovals(entries: InventoryEntry[], runtime: Runtime): Action[] {
  // The monitor before the agent it asks.
  const order = (e: InventoryEntry) => (e.item.kind === 'service' && e.item.name.startsWith('ha-install-monitor') ? 0 : 1);
  return [...entries]
    .filter((e) => e.item.kind === 'service')
    .sort((a, b) => order(a) - order(b))
    .map((e) => {
      const item = e.item as Extract<InventoryItem, { kind: 'service' }>;
      return { ...removeServiceAction(item.name, item.unitFile ? 'systemd' : 'none', runtime), id: `teardown.${itemKey(item)}`, removes: [itemKey(item)] };
    });
}

/** The file removals, guard first: a node started later must not ask a peer that is no longer its pair. */
export function fileRemovals(entries: InventoryEntry[]): Action[] {
  const order = (e: InventoryEntry) => (e.item.kind === 'block' && /pg_ctl\.conf$/.test(e.item.path) ? 0 : e.item.kind === 'file' ? 1 : 2);
  return [...entries].sort((a, b) => order(a) - order(b)).flatMap(removalOf);
}
