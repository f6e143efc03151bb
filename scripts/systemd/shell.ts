/**
 * node --import tsx scripts/systemd/shell.ts [CASE-TITLE-PREFIX ...]
 *
 * For working on the bed: boots the container, runs the cases whose titles start with the
 * given prefixes (e.g. `master` `slave`: builds the pair), prints how to enter it, and keeps
 * it up until Ctrl-C or SIGTERM, which power it off and remove its layer.
 */
import { cases } from '../../test/systemd/cases/index.js';
import { caseContext, prepareContainer, say, stopOnSignals } from './bed.js';
import type { Container } from './container.js';

let box: Container | undefined;
stopOnSignals(() => box);
box = await prepareContainer();
await box.boot();
const ctx = caseContext(box, (_what, work) => work(), []);
for (const c of cases.filter((c) => process.argv.slice(2).some((prefix) => c.title.startsWith(prefix)))) {
  say(`running: ${c.title}`);
  await c.run(ctx);
}
say(`up: nsenter --target ${box.pid} --all -- bash   (Ctrl-C here powers it off)`);
setInterval(() => undefined, 60_000);
