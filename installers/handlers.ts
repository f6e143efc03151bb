import type { ActionHandlers } from '../src/engine/actions.js';
import { postgresqlHandlers } from './postgresql/handlers.js';
import { runManagedService } from './services/handler.js';

/**
 * The handlers every flow gives the engine: SQL and PostgreSQL clusters from the PostgreSQL
 * installer, ha-install's own services and the packages' units from the service model.
 */
export const installerHandlers: ActionHandlers = {
  sql: postgresqlHandlers.sql,
  service: (action, ctx) => (action.service.kind === 'postgresql' ? postgresqlHandlers.service(action, ctx) : runManagedService(action, ctx)),
};
