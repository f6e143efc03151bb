import { defineField, type FieldSpec } from '../../src/answers/types.js';
import { pathTextProblem } from '../../src/system/text-checks.js';

const pathLimits = 'an absolute path of at most 255 bytes, one line, no blanks or quotes (HAProxy and systemd read it unquoted)';
const pathCheck = (fix: string) => (value: string | undefined) => {
  if (value === undefined) return undefined;
  const text = pathTextProblem(value, { absolute: true, maxBytes: 255 });
  if (text) return { message: text, fix };
  return /[\s"'#\\]/.test(value) ? { message: 'contains a blank, a quote, a # or a backslash', fix } : undefined;
};

/** The load balancer's slice of the answers file (install mode 4). */
export const haproxyFields: FieldSpec[] = [
  defineField({
    key: 'haproxy.port',
    prop: 'balancerPort',
    type: 'integer',
    min: 1,
    max: 65535,
    description: 'where clients connect to PostgreSQL through HAProxy (TCP), on the balancer\'s address',
    default: 15432,
  }),
  defineField({
    key: 'haproxy.stats-port',
    prop: 'statsPort',
    type: 'integer',
    min: 1,
    max: 65535,
    description: 'HAProxy\'s stats page (behind a generated password, shown once and kept root-only)',
    default: 7000,
    check: (value, answers) => (value === answers.balancerPort ? { message: `is haproxy.port too (${value})`, fix: 'give the stats page a port of its own, e.g. 7000' } : undefined),
  }),
  defineField({
    key: 'haproxy.app-port',
    prop: 'appPort',
    type: 'integer',
    min: 1,
    max: 65535,
    description: 'optional: the application\'s HTTP port, balanced active (master) / backup (slave) as in Motadata\'s layout; the same port on the nodes',
    check: (value, answers) =>
      value !== undefined && [answers.balancerPort, answers.statsPort].includes(value) ? { message: `is already haproxy.port or haproxy.stats-port (${value})`, fix: 'give the application a port of its own' } : undefined,
  }),
  defineField({
    key: 'haproxy.config',
    prop: 'haproxyConfig',
    type: 'string',
    description: 'the HAProxy configuration ha-install writes (validated with haproxy -c first, the old one backed up)',
    default: '/etc/haproxy/haproxy.cfg',
    limits: pathLimits,
    check: pathCheck('give an absolute path such as /etc/haproxy/haproxy.cfg'),
  }),
  defineField({
    key: 'haproxy.template',
    prop: 'haproxyTemplate',
    type: 'string',
    description: 'optional: your own template for that configuration instead of templates/haproxy/haproxy.cfg (the names it may use are listed there)',
    limits: pathLimits,
    check: pathCheck('give the absolute path of a template file'),
  }),
  defineField({
    key: 'firewall.open-ports',
    prop: 'openFirewall',
    type: 'boolean',
    description: 'open the role\'s ports in firewalld or ufw when one is active (balancer: haproxy.port and the stats port; database nodes: PostgreSQL and the agent from the peer and the balancer only), and set SELinux\'s haproxy_connect_any where it is enforcing',
    default: true,
  }),
];
