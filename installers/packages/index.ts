import type { Answers, Mode } from '../../src/answers/types.js';
import type { PackagesAction } from '../../src/engine/actions.js';
import type { MachineFacts } from '../../src/system/facts.js';
import type { Logger } from '../../src/system/log.js';
import { installedPackages, type Manager } from './manager.js';

/**
 * The declared OS packages per role and distro family. PostgreSQL on the database roles,
 * HAProxy on the load balancer, and ping everywhere (the reachability check and, later, the
 * failover watchdog need it).
 */
export const declaredPackages: Record<'debian' | 'rhel', Record<Mode, string[]>> = {
  debian: {
    standalone: ['postgresql', 'postgresql-contrib', 'iputils-ping'],
    master: ['postgresql', 'postgresql-contrib', 'iputils-ping'],
    slave: ['postgresql', 'postgresql-contrib', 'iputils-ping'],
    'load-balancer': ['haproxy', 'iputils-ping'],
  },
  rhel: {
    standalone: ['postgresql-server', 'postgresql-contrib', 'iputils'],
    master: ['postgresql-server', 'postgresql-contrib', 'iputils'],
    slave: ['postgresql-server', 'postgresql-contrib', 'iputils'],
    'load-balancer': ['haproxy', 'iputils'],
  },
};

export function packageManager(facts: MachineFacts): Manager | undefined {
  if (facts.os.family === 'debian' && facts.tools.apt) return 'apt';
  if (facts.os.family === 'rhel') return facts.tools.dnf ? 'dnf' : facts.tools.yum ? 'yum' : undefined;
  return undefined;
}

/** The packages this role needs here: a pinned PostgreSQL major on Debian becomes postgresql-<major>. */
export function wantedPackages(answers: Pick<Answers, 'mode' | 'pgVersion' | 'extraPackages'>, family: 'debian' | 'rhel'): string[] {
  const base = declaredPackages[family][answers.mode].map((name) =>
    family === 'debian' && answers.pgVersion !== undefined && name === 'postgresql' ? `postgresql-${answers.pgVersion}` : name,
  );
  return [...new Set([...base, ...(answers.extraPackages ?? [])])];
}

/** One packages action: what is missing gets installed, what is present is only reported (in the action's own line, not again as a note). */
export async function planPackages(
  answers: Pick<Answers, 'mode' | 'pgVersion' | 'extraPackages' | 'skipPackages'>,
  facts: MachineFacts,
  log: Logger,
): Promise<{ action?: PackagesAction; note?: string }> {
  if (answers.skipPackages) return { note: 'OS packages skipped (packages.skip / --skip-packages)' };
  const manager = packageManager(facts);
  if (!manager || facts.os.family === 'unsupported') return { note: 'no supported package manager: packages not planned' };
  const wanted = wantedPackages(answers, facts.os.family);
  const present = await installedPackages(manager, wanted, log);
  const install = wanted.filter((name) => !present.has(name));
  return {
    action: { kind: 'packages', id: `packages:${wanted.join(',')}`, title: 'Install OS packages', manager, install, present: wanted.filter((n) => present.has(n)) },
  };
}
