import { coreFields } from './core-fields.js';
import { packageFields } from '../../installers/packages/fields.js';
import { postgresqlFields } from '../../installers/postgresql/fields.js';
import { agentFields } from '../../installers/agent/fields.js';
import { haproxyFields } from '../../installers/haproxy/fields.js';
import { monitorFields } from '../../installers/monitor/fields.js';
import type { FieldSpec } from './types.js';

/** Every field of the answers file, in the order the wizard asks and the template lists them. */
export const fields: FieldSpec[] = [...coreFields, ...packageFields, ...postgresqlFields, ...agentFields, ...haproxyFields, ...monitorFields];

export const fieldByKey = new Map(fields.map((f) => [f.key, f]));
export const fieldByProp = new Map(fields.map((f) => [f.prop, f]));
