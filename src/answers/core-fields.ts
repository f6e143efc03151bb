import { checkAddress } from '../system/address.js';
import { defineField, isHa, modes, type FieldSpec } from './types.js';


const addressCheck = (value: string) => {
  const result = checkAddress(value);
  return result.ok ? undefined : { message: result.message, fix: result.fix };
};

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
    check: addressCheck,
  }),
  defineField({
    key: 'slave-ip',
    prop: 'slaveIp',
    type: 'address',
    flag: '--slave-ip <address>',
    description: 'address of the slave server; must differ from master-ip',
    required: (answers, command) => command === 'install' && isHa(answers),
    example: '192.168.0.118',
    check: (value, answers) =>
      addressCheck(value) ??
      (answers.masterIp !== undefined && value.trim().toLowerCase() === answers.masterIp.trim().toLowerCase()
        ? { message: `is the same as master-ip (${value})`, fix: 'the slave must be a different server: give its own address' }
        : undefined),
  }),
  defineField({ key: 'requirements.min-ram-gb', prop: 'minRamGb', type: 'number', min: 0, description: 'minimum RAM in GB', default: 4 }),
  defineField({ key: 'requirements.min-cores', prop: 'minCores', type: 'integer', min: 1, description: 'minimum CPU cores', default: 2 }),
  defineField({ key: 'requirements.min-disk-gb', prop: 'minDiskGb', type: 'number', min: 0, description: 'minimum free disk in GB on the filesystem that holds the database', default: 100 }),
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
