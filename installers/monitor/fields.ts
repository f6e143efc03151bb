import { defineField, type FieldSpec } from '../../src/answers/types.js';
import { checkAddress } from '../../src/system/address.js';
import { scriptProblem } from './events.js';
import { minimumFailoverAfterMs } from './settings.js';

/**
 * The failover monitor's slice of the answers file. The defaults aim at a write through the
 * balancer under 5 s after the master dies, and keep the order that makes it safe: a master cut
 * off fences itself before its standby may promote (settings.ts checks the order).
 */
export const monitorFields: FieldSpec[] = [
  defineField({
    key: 'failover.automatic',
    prop: 'failoverAutomatic',
    type: 'boolean',
    description: 'run the failover monitor on both database nodes: the standby promotes itself when the master is gone, a master cut off fences itself',
    default: true,
  }),
  defineField({ key: 'failover.interval-ms', prop: 'failoverIntervalMs', type: 'integer', min: 100, max: 10_000, description: 'how often each node looks at the other (and at the witness)', default: 300 }),
  defineField({
    key: 'failover.check-timeout-ms',
    prop: 'failoverCheckTimeoutMs',
    type: 'integer',
    min: 50,
    max: 5000,
    description: 'how long one look may take before it counts as failed',
    default: 250,
    check: (value, answers) =>
      answers.failoverIntervalMs !== undefined && value >= answers.failoverIntervalMs
        ? { message: `is not shorter than failover.interval-ms (${answers.failoverIntervalMs})`, fix: 'a look must end before the next one starts: lower it, or raise the interval' }
        : undefined,
  }),
  defineField({ key: 'failover.failures', prop: 'failoverFailures', type: 'integer', min: 1, max: 20, description: 'failed looks in a row before the standby considers a failover', default: 3 }),
  defineField({
    key: 'failover.fence-after-seconds',
    prop: 'fenceAfterSeconds',
    type: 'number',
    min: 0.2,
    max: 300,
    description: 'a master that sees neither its standby nor the witness this long fences itself (stops taking writes)',
    default: 0.8,
  }),
  defineField({
    key: 'failover.after-seconds',
    prop: 'failoverAfterSeconds',
    type: 'number',
    min: 0.5,
    max: 600,
    description: 'the master unseen this long before the standby promotes; longer than a stall you would ride out, and long enough for a cut-off master to fence itself first',
    default: 2.5,
    check: (value, answers) => {
      const minimum = minimumFailoverAfterMs({
        intervalMs: answers.failoverIntervalMs ?? 300,
        checkTimeoutMs: answers.failoverCheckTimeoutMs ?? 250,
        fenceAfterMs: (answers.fenceAfterSeconds ?? 0.8) * 1000,
      });
      return value * 1000 < minimum
        ? { message: `${value} s leaves a cut-off master no time to fence itself first (at least ${(minimum / 1000).toFixed(2)} s with these settings)`, fix: `raise it to ${(minimum / 1000).toFixed(2)} or more, or lower failover.fence-after-seconds` }
        : undefined;
    },
  }),
  defineField({
    key: 'failover.ping-targets',
    prop: 'pingTargets',
    type: 'string-list',
    description: 'up to three more addresses that prove this node\'s own network (the default gateway is asked too, where there is one), as AMM\'s HAPingMonitor1-3',
    default: [],
    check: (value) => {
      if (value.length > 3) return { message: `has ${value.length} addresses, at most 3 are asked`, fix: 'keep the three that best tell "my network is up"' };
      const bad = value.map((v) => checkAddress(v)).find((r) => !r.ok);
      return bad && !bad.ok ? { message: bad.message, fix: bad.fix } : undefined;
    },
  }),
  defineField({
    key: 'failover.ping-gateway',
    prop: 'pingGateway',
    type: 'boolean',
    description: 'ask the default gateway too, where there is one, whether this node\'s network is up (the demo says false: its loopback pair has no business with the host\'s gateway)',
    default: true,
  }),
  defineField({ key: 'failover.witness-port', prop: 'witnessPort', type: 'integer', min: 1, max: 65535, description: 'the port of the witness on the balancer', default: 25433 }),
  defineField({
    key: 'events.script',
    prop: 'eventScript',
    type: 'string',
    description: 'a script run as root on each event with AMM\'s arguments (Failover <active> <standby>, StandbyOffline <standby> <active>, ManualSwitch <active> <standby>, RaiseAlarm <condition> <message>, ClearAlarm <text>)',
    check: (value) => {
      if (value === undefined) return undefined;
      if (!value.startsWith('/')) return { message: `${JSON.stringify(value)} is not an absolute path`, fix: 'give the full path, e.g. /usr/local/sbin/ha-event' };
      const problem = scriptProblem(value);
      return problem ? { message: problem, fix: 'make it root\'s: chown root:root, chmod 0755' } : undefined;
    },
  }),
  defineField({ key: 'events.timeout-seconds', prop: 'eventTimeoutSeconds', type: 'integer', min: 1, max: 300, description: 'how long the event script may run before it is killed', default: 10 }),
];

