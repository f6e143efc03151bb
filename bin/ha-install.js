#!/usr/bin/env node
// Thin launcher: the real program is bundled into dist/ by `npm install` (prepare) or `npm run build`.
import { accessSync, constants, existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}dist/cli.js`;
if (!existsSync(cli)) {
  // npx in a clone runs `prepare` first and hides its output: say here what is wrong and what to do.
  let canWrite = true;
  try {
    accessSync(root, constants.W_OK);
  } catch {
    canWrite = false;
  }
  const user = userInfo().username;
  process.stderr.write(
    `ha-install: the program is not built: ${cli} is missing.\n` +
      (canWrite
        ? `  Build it: cd ${root} && npm install\n`
        : `  ${user} cannot write ${root}, so it could not be built there.\n` +
          `  Build it as the folder's owner: cd ${root} && sudo npm install\n` +
          `  then run it with sudo (installing changes system files): sudo npx ha-install\n`),
  );
  process.exit(2); // nothing was changed
}
await import(pathToFileURL(cli).href);
