import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApplyError } from './errors.js';
import { version } from '../version.js';

/**
 * What PostgreSQL's start guard (and ha-install's services) run must outlive the npx cache and
 * the clone an admin ran ha-install from: each build is copied once to
 * /usr/local/lib/ha-install/<version>-<hash>/, and what is installed points there. Builds side
 * by side: a node upgraded later keeps a working guard until its own re-run points it anew.
 */
export const runtimeBase = '/usr/local/lib/ha-install';

/** The folder holding package.json of ha-install: the clone, the installed package or a runtime copy. */
export function packageRoot(from = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'ha-install') return dir;
    } catch {
      // not here: look further up
    }
  }
  throw new ApplyError('ha-install cannot find its own package folder (package.json).');
}

const parts = ['bin', 'dist', 'templates', 'package.json'];

/** `<version>-<hash of the bundle>`: the same build gives the same folder. */
export function buildId(root = packageRoot()): string {
  const cli = join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new ApplyError(`The built program ${cli} is missing.`, { nextSteps: ['Run `npm run build` (or `npm install`) in the ha-install folder, then run the install again.'] });
  return `${version}-${createHash('sha256').update(readFileSync(cli)).digest('hex').slice(0, 10)}`;
}

export interface Runtime {
  dir: string;
  /** argv that runs this build's CLI: node and its launcher. */
  argv: string[];
}

export function runtimeFor(root = packageRoot(), base = runtimeBase): Runtime {
  const dir = join(base, buildId(root));
  return { dir, argv: [process.execPath, join(dir, 'bin', 'ha-install.js')] };
}

/** Copies the build into its runtime folder unless it is there: into a temporary folder first, then renamed, so it is never half there. */
export function installRuntime(runtime: Runtime, root = packageRoot()): 'installed' | 'already there' {
  if (existsSync(join(runtime.dir, 'dist', 'cli.js'))) return 'already there';
  const partial = `${runtime.dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true, mode: 0o755 });
  for (const part of parts) if (existsSync(join(root, part))) cpSync(join(root, part), join(partial, part), { recursive: true });
  mkdirSync(dirname(runtime.dir), { recursive: true, mode: 0o755 });
  try {
    renameSync(partial, runtime.dir);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    // Another run of the same build got there first: its copy is this one.
    if (existsSync(join(runtime.dir, 'dist', 'cli.js'))) return 'already there';
    throw error;
  }
  return 'installed';
}
