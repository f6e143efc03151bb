/**
 * npm run build (also `prepare`, so `npm install` in a clone builds it): after `tsc --noEmit`
 * has type-checked, bundle src/cli.ts with esbuild into dist/: cli.js plus one chunk per part loaded on
 * demand (ink and React for the wizard, inquirer for --plain, the status dashboard).
 *
 * Why a bundle and not tsc's one file per module: Node 20 has no compile cache for ES modules,
 * and an install run loads ~400 of them (execa alone is 120). Loading them one by one was
 * 0.15 s of every run's start (425 ms vs 270 ms for a dry run, `npm run bench` breakdown).
 * Nothing is minified: a stack trace still reads as the source.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

rmSync(`${root}/dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Optional peers their packages only load when present or asked for (DEV=true for ink).
  external: ['react-devtools-core', 'pg-native'],
  // The CommonJS dependencies (pg, systeminformation, yaml) call require() for Node's own modules.
  banner: { js: "import { createRequire as __haInstallRequire } from 'node:module';\nconst require = __haInstallRequire(import.meta.url);" },
});
