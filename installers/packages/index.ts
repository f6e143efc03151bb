import type { Answers, Mode } from '../../src/answers/types.js';
import type { CommandAction } from '../../src/engine/actions.js';
import type { MachineFacts } from '../../src/system/facts.js';
import type { Logger } from '../../src/system/log.js';
import { installCommand, installedPackages, parsePackageProgress, refreshCommand, type Manager } from './manager.js';

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

/**
 * The package step as commands: apt refreshes its lists first, then what is missing gets
 * installed; what is present is only reported. The installer reads its own progress lines.
 */
export async function planPackages(
  answers: Pick<Answers, 'mode' | 'pgVersion' | 'extraPackages' | 'skipPackages'>,
  facts: MachineFacts,
  log: Logger,
): Promise<{ actions: CommandAction[]; note?: string }> {
  if (answers.skipPackages) return { actions: [], note: 'OS packages skipped (packages.skip / --skip-packages)' };
  const manager = packageManager(facts);
  if (!manager || facts.os.family === 'unsupported') return { actions: [], note: 'no supported package manager: packages not planned' };
  const wanted = wantedPackages(answers, facts.os.family);
  const present = await installedPackages(manager, wanted, log);
  const install = wanted.filter((name) => !present.has(name));
  const already = wanted.filter((name) => present.has(name));
  if (install.length === 0) return { actions: [], note: `OS packages already installed: ${wanted.join(', ')}` };
  const command = installCommand(manager, install);
  const actions: CommandAction[] = [
    ...(manager === 'apt' ? [{ kind: 'command' as const, id: 'packages:refresh', title: 'Refresh the package lists', argv: refreshCommand(manager), env: command.env, progress: parsePackageProgress }] : []),
    { kind: 'command', id: `packages:${install.join(',')}`, title: `Install OS packages ${install.join(', ')}`, argv: command.argv, env: command.env, progress: parsePackageProgress },
  ];
  return { actions, note: already.length > 0 ? `OS packages already installed: ${already.join(', ')}` : undefined };
}
