import { defineField, type FieldSpec } from '../../src/answers/types.js';

/** The health agent's slice of the answers file: the same on both database nodes and the balancer. */
export const agentFields: FieldSpec[] = [
  defineField({
    key: 'agent.port',
    prop: 'agentPort',
    type: 'integer',
    min: 1,
    max: 65535,
    description: 'the health agent\'s HTTP port on each database node (HAProxy checks GET /primary there)',
    default: 25432,
    check: (value, answers) => (value === answers.pgPort ? { message: `is PostgreSQL's port (${value})`, fix: 'give the agent a port of its own, e.g. 25432' } : undefined),
  }),
  defineField({
    key: 'agent.timeout-ms',
    prop: 'agentTimeoutMs',
    type: 'integer',
    min: 100,
    max: 10000,
    description: 'the agent answers 503 when PostgreSQL has not answered within this (down or stalled)',
    default: 1000,
  }),
];
