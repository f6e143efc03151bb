// npm's `prepare` (npm install in a clone, and npx in a clone): build dist/ when this user can.
// Plain JavaScript: it must run before tsx, TypeScript and esbuild are installed.
//
// npx hides what `prepare` prints (a failure ends with exit 1 and no word). So:
// - dependencies not installed (npx in a fresh clone): step aside; bin/ha-install.js then
//   explains the missing dist/ in the terminal;
// - this user cannot write the clone (it is root's): npm itself cannot link the program
//   either, so stop here, and say why on the terminal itself as well as on stderr.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const writable = (path) => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

if (!writable(root) || (existsSync(`${root}dist`) && !writable(`${root}dist`))) {
  const message =
    `ha-install: ${userInfo().username} cannot write ${root}, so the program cannot be built or run from there.\n` +
    `  As the folder's owner (root): cd ${root} && sudo npm install\n` +
    `  then run it with sudo (installing changes system files): sudo npx ha-install\n`;
  process.stderr.write(message);
  try {
    writeFileSync('/dev/tty', message); // npx swallows stderr here; the terminal, if any, gets it
  } catch {
    // no terminal (CI, a pipe): stderr above is all there is
  }
  process.exit(1);
}
if (!existsSync(`${root}node_modules/.bin/tsc`) || !existsSync(`${root}node_modules/.bin/esbuild`)) {
  process.stderr.write(`ha-install: dependencies not installed in ${root}: not building dist/ (bin/ha-install.js says what to do).\n`);
  process.exit(0);
}
const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
