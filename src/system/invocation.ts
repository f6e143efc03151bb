import { accessSync, constants, realpathSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describeCommand } from './exec.js';

/**
 * How this run was started, so that every command ha-install prints works when pasted where it
 * was printed: `npx ha-install ...` from a clone or the npm cache, `ha-install ...` where the
 * bin is installed on PATH, `node /path/bin/ha-install.js ...` otherwise; `sudo` in front only
 * when the run itself came through sudo (a root shell has no use for it, and may not have it).
 */
export interface Invocation {
  program: string[];
  sudo: boolean;
}

function onPathAs(name: string, target: string, path: string): boolean {
  for (const dir of path.split(':').filter(Boolean)) {
    try {
      const candidate = join(dir, name);
      accessSync(candidate, constants.X_OK);
      return realpathSync(candidate) === realpathSync(target);
    } catch {
      // not in this folder
    }
  }
  return false;
}

export function detectInvocation(env: NodeJS.ProcessEnv = process.env, script = process.argv[1] ?? 'ha-install'): Invocation {
  const sudo = env.SUDO_USER !== undefined && env.SUDO_USER !== '' && env.SUDO_USER !== 'root';
  // npx (npm exec) names the command it runs; a run under another npx command (`npx ava`) is not ours.
  // (npm 11 writes it quoted: 'ha-install'.)
  if (env.npm_command === 'exec' && /^'?ha-install'?(\s|$)/.test(env.npm_lifecycle_script ?? '')) return { program: ['npx', 'ha-install'], sudo };
  const full = resolve(script);
  if (onPathAs('ha-install', full, env.PATH ?? '')) return { program: ['ha-install'], sudo };
  return { program: basename(full) === 'ha-install' ? [full] : ['node', full], sudo };
}

/** The command line to print for these arguments: `npx ha-install restore-master --master-ip 10.0.0.2`. */
export function commandLine(invocation: Invocation, args: string[]): string {
  return describeCommand([...(invocation.sudo ? ['sudo'] : []), ...invocation.program, ...args]);
}

/** How to run this again as root: `sudo` in front unless this run is root already. */
export function asRoot(args: string[], invocation = detectInvocation()): string {
  const root = process.getuid?.() === 0;
  return commandLine({ ...invocation, sudo: invocation.sudo || !root }, args);
}
