import type { RoleChange } from '../../src/flows/state.js';
import { ident, literal } from './sql.js';

/**
 * The ha_install schema on the primary, replicated to the standby: `events` holds the pair's
 * history (installs and every role change, which the state file on each node caches) and the
 * marker rows that prove replication end to end. The replication role may read it and add
 * rows, so a node can record what it did on its peer.
 */

/** The events that change who does what; the rest are markers. */
export const roleEvents = ['installed', 'promoted', 'restored', 'switchover', 'teardown'] as const;

export function eventsSql(user: string): string {
  return `CREATE SCHEMA IF NOT EXISTS ha_install;
CREATE TABLE IF NOT EXISTS ha_install.events (
  id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), node text, event text NOT NULL, detail text);
GRANT USAGE ON SCHEMA ha_install TO ${ident(user)};
GRANT SELECT, INSERT ON ha_install.events TO ${ident(user)};
GRANT USAGE ON SEQUENCE ha_install.events_id_seq TO ${ident(user)};`;
}

/** One event row; `once`: not again when the same row is there (a re-run of the same install). */
export function recordEventSql(node: string, event: string, detail: string, options: { once?: boolean } = { once: true }): string {
  const values = `${literal(node)}, ${literal(event)}, ${literal(detail)}`;
  return options.once === false
    ? `INSERT INTO ha_install.events (node, event, detail) VALUES (${values});`
    : `INSERT INTO ha_install.events (node, event, detail) SELECT ${values}
  WHERE NOT EXISTS (SELECT FROM ha_install.events WHERE node = ${literal(node)} AND event = ${literal(event)} AND detail = ${literal(detail)});`;
}

/** The history as rows of text (one line each): at, node, event, detail. */
export const historySql = `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), coalesce(node, ''), event, coalesce(replace(detail, E'\\n', ' '), '')
  FROM ha_install.events WHERE event IN (${roleEvents.map((e) => literal(e)).join(', ')}) ORDER BY id`;

export function historyFromRows(rows: string[][]): RoleChange[] {
  return rows.map(([at, node, event, detail]) => ({ at: at ?? '', node: node ?? '', event: event ?? '', detail: detail ?? '' }));
}
