import { run } from '../../src/system/exec.js';
import type { Logger } from '../../src/system/log.js';

export type Manager = 'apt' | 'dnf' | 'yum';

/** Which of `names` are installed. One query for all names, so the check stays fast. */
export async function installedPackages(manager: Manager, names: string[], log: Logger): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  if (manager === 'apt') {
    const result = await run(['dpkg-query', '-W', '-f=${Package} ${db:Status-Status}\\n', ...names], log, { reject: false });
    return new Set(
      result.stdout
        .split('\n')
        .map((line) => line.trim().split(' '))
        .filter(([, status]) => status === 'installed')
        .map(([name]) => name!),
    );
  }
  const result = await run(['rpm', '-q', '--qf', '%{NAME}\\n', ...names], log, { reject: false });
  return new Set(result.stdout.split('\n').map((l) => l.trim()).filter((l) => names.includes(l)));
}

/**
 * The install command. apt reports progress through APT::Status-Fd (lines
 * `pmstatus:<package>:<percent>:<what>`), which the engine turns into a progress bar.
 */
export function installCommand(manager: Manager, names: string[]): { argv: string[]; env: Record<string, string> } {
  if (manager === 'apt') {
    return {
      argv: ['apt-get', 'install', '-y', '--no-install-recommends', '-o', 'APT::Status-Fd=1', '-o', 'Dpkg::Options::=--force-confold', ...names],
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    };
  }
  return { argv: [manager, 'install', '-y', ...names], env: {} };
}

export function refreshCommand(manager: Manager): string[] {
  return manager === 'apt' ? ['apt-get', 'update', '-o', 'APT::Status-Fd=1'] : [manager, 'makecache'];
}

/** Parses apt's status lines into a percent, or dnf's "Installing : name" lines into a name. */
export function parsePackageProgress(chunk: string): { percent?: number; detail?: string } | undefined {
  let found: { percent?: number; detail?: string } | undefined;
  for (const line of chunk.split('\n')) {
    const apt = line.match(/^(?:pm|dl)status:([^:]*):([\d.]+):(.*)$/);
    if (apt) found = { percent: Math.round(Number(apt[2])), detail: apt[3]!.trim() };
    const dnf = line.match(/^\s*(Installing|Upgrading)\s*:\s*(\S+)/);
    if (dnf) found = { detail: `${dnf[1]} ${dnf[2]}` };
  }
  return found;
}

/**
 * The PostgreSQL major the package manager would install, for a machine that has none yet:
 * the slave compares it with the master's before anything is installed.
 */
export async function candidatePostgresqlMajor(manager: Manager, log: Logger): Promise<number | undefined> {
  if (manager === 'apt') {
    const result = await run(['apt-cache', 'policy', 'postgresql'], log, { reject: false });
    const candidate = result.stdout.match(/Candidate:\s*(\d+)\+/);
    return candidate ? Number(candidate[1]) : undefined;
  }
  const result = await run([manager, 'info', '-q', 'postgresql-server'], log, { reject: false });
  const version = result.stdout.match(/^Version\s*:\s*(\d+)/m);
  return version ? Number(version[1]) : undefined;
}
