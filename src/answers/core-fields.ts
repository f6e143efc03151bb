import { sameAddress } from '../system/address.js';
import { defineField, isHa, modes, type FieldSpec } from './types.js';

/** What coerce.ts (checkAddress) holds every address to, for the README's reference. */
const addressLimits = 'IPv4 without leading zeros, IPv6 without a zone id (brackets allowed; IPv4-mapped ones count as IPv4), or a host name; not 0.0.0.0, ::, broadcast or multicast';

/** The wizard's own questions: install mode, the pair's addresses, requirements, reachability. */
export const coreFields: FieldSpec[] = [
  defineField({
    key: 'mode',
    prop: 'mode',
    type: 'enum',
    values: modes,
    flag: '--mode <mode>',
    description: 'install mode: standalone (1), master (2), slave (3) or load-balancer (4)',
    required: (_answers, command) => command === 'install',
    example: 'master',
  }),
  defineField({
    key: 'high-availability',
    prop: 'highAvailability',
    type: 'boolean',
    description: 'confirms the High Availability setup (the wizard asks "Set up High Availability? (y/n)")',
    default: true,
  }),
  defineField({
    key: 'master-ip',
    prop: 'masterIp',
    type: 'address',
    flag: '--master-ip <address>',
    description: 'address of the master server (IPv4, IPv6 or a host name that resolves); for restore-master: the new master',
    required: (answers, command) => (command === 'install' ? isHa(answers) : command === 'restore-master'),
    example: '192.168.0.137',
    maxBytes: 253,
    limits: addressLimits,
  }),
  defineField({
    key: 'slave-ip',
    prop: 'slaveIp',
    type: 'address',
    flag: '--slave-ip <address>',
    description: 'address of the slave server; must differ from master-ip',
    required: (answers, command) => command === 'install' && isHa(answers),
    example: '192.168.0.118',
    maxBytes: 253,
    limits: `${addressLimits}; not the same address as master-ip, however written`,
    // Both values are canonical here (coerce.ts): ::ffff:127.0.0.11 is 127.0.0.11.
    check: (value, answers) =>
      answers.masterIp !== undefined && sameAddress(value, answers.masterIp)
        ? { message: `is the same as master-ip (${value})`, fix: 'the slave must be a different server: give its own address' }
        : undefined,
  }),
  defineField({
    key: 'balancer-ip',
    prop: 'balancerIp',
    type: 'address',
    flag: '--balancer-ip <address>',
    description: 'address of the load balancer: where HAProxy listens (mode 4, must be this machine\'s), and the address the database nodes admit clients from (modes 2 and 3)',
    required: (answers, command) => command === 'install' && answers.mode === 'load-balancer',
    example: '192.168.0.140',
    maxBytes: 253,
    limits: `${addressLimits}; not master-ip or slave-ip (the balancer is the pair's third machine)`,
    check: (value, answers) =>
      value !== undefined && [answers.masterIp, answers.slaveIp].some((a) => a !== undefined && sameAddress(value, a))
        ? { message: `is the address of a database node (${value})`, fix: 'the balancer is a third machine: give its own address' }
        : undefined,
  }),
  defineField({ key: 'requirements.min-ram-gb', prop: 'minRamGb', type: 'number', min: 0, max: 65536, description: 'minimum RAM in GB', default: 4 }),
  defineField({ key: 'requirements.min-cores', prop: 'minCores', type: 'integer', min: 1, max: 4096, description: 'minimum CPU cores', default: 2 }),
  defineField({ key: 'requirements.min-disk-gb', prop: 'minDiskGb', type: 'number', min: 0, max: 1048576, description: 'minimum free disk in GB on the filesystem that holds the database', default: 100 }),
  defineField({
    key: 'requirements.ignore',
    prop: 'ignoreRequirements',
    type: 'boolean',
    flag: '--ignore-requirements',
    description: 'go on although RAM, cores or disk are below the minimum (the log records it)',
    default: false,
  }),
  defineField({ key: 'reachability.ping-count', prop: 'pingCount', type: 'integer', min: 1, max: 20, description: 'pings sent to each address', default: 3 }),
  defineField({ key: 'reachability.timeout-seconds', prop: 'probeTimeoutSeconds', type: 'integer', min: 1, max: 60, description: 'how long to wait for a ping reply or a TCP connect', default: 2 }),
];
