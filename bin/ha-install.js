#!/usr/bin/env node
// Thin launcher: the real program is bundled into dist/ by `npm install` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('ha-install: the compiled program is missing (dist/cli.js).\n  Run `npm install` (or `npm run build`) in the ha-install folder first.\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
