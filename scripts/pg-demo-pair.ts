/**
 * The loopback demo pair by hand, until `ha-install demo` wires it:
 *
 *   node --import tsx scripts/pg-demo-pair.ts up     # 127.0.0.11/.12 on lo, clusters ha-demo-master/-slave on 5440
 *   node --import tsx scripts/pg-demo-pair.ts down   # undoes exactly what `up` did
 *
 * `up` records its changes in /run/ha-install-demo-pair.json; `down` replays their undos.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { demoDefaults, demoDown, demoUp, type DemoState } from '../installers/postgresql/demo.js';
import { gatherFacts } from '../src/system/facts.js';
import { Logger } from '../src/system/log.js';

const statePath = '/run/ha-install-demo-pair.json';
const log = new Logger('/var/log/ha-install/demo-pair.log');
const command = process.argv[2];

if (command === 'up') {
  if (existsSync(statePath)) throw new Error(`The demo pair is already up (${statePath}); run "down" first.`);
  const version = (await gatherFacts()).postgresqlVersions.at(-1);
  if (version === undefined) throw new Error('No PostgreSQL server is installed.');
  const state = await demoUp(demoDefaults(version), log);
  writeFileSync(statePath, JSON.stringify(state, null, 2), { mode: 0o600 });
  console.log(`demo pair up: ${state.loopback.length} loopback changes, ${state.clusters.length} clusters created; state in ${statePath}`);
} else if (command === 'down') {
  if (!existsSync(statePath)) throw new Error(`No demo pair state at ${statePath}: nothing to undo.`);
  await demoDown(JSON.parse(readFileSync(statePath, 'utf8')) as DemoState, log);
  rmSync(statePath);
  console.log('demo pair down');
} else {
  console.error('usage: pg-demo-pair.ts up|down');
  process.exitCode = 2;
}
