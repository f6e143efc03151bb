import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Answers } from '../../src/answers/types.js';
import { actionLine } from '../../src/engine/plan-printer.js';
import { loadFacts } from '../../src/system/facts.js';
import { Logger } from '../../src/system/log.js';
import { planPackages } from '../../installers/packages/index.js';
import { swapActions } from '../../installers/postgresql/clone.js';
import { pgpassAction } from '../../installers/postgresql/context.js';

/** The plan says each thing once: a newcomer reads "(mode 0600) (mode 600, ...)" as two files. */
const facts = loadFacts(new URL('../fixtures/machines/good-server.json', import.meta.url).pathname);
const answers = {
  mode: 'master',
  masterIp: '127.0.0.11',
  slaveIp: '127.0.0.12',
  pgPort: 5432,
  replicationUser: 'replicator',
  backupPassword: { source: 'prompt', value: 'Corr3ct-Horse-Battery' },
} as Answers;
const folder = mkdtempSync(join(tmpdir(), 'ha-wording-'));
test.after.always(() => rmSync(folder, { recursive: true, force: true }));
const context = { answers, facts, log: new Logger(undefined), pgpassPath: join(folder, '.pgpass') };
const once = (text: string, part: RegExp) => text.match(new RegExp(part.source, 'g'))?.length ?? 0;

test('the password file names its mode once, written as chmod writes it', (t) => {
  const line = actionLine(pgpassAction(context));
  t.is(line, `Store the replication password in ${context.pgpassPath} (mode 0600, owner postgres)`);
});

test('moving the old data directory aside says so once', (t) => {
  const cluster = { version: 15, name: 'main', exists: true, confDir: '/etc/postgresql/15/main', dataDir: '/var/lib/postgresql/15/main', port: 5432, socketDir: '/var/run/postgresql', running: false, inRecovery: false };
  const move = swapActions(context, cluster).find((action) => action.kind === 'move-aside')!;
  const line = actionLine(move);
  t.is(once(line, /aside/), 1, line);
  t.regex(line, /^Move the old data directory \/var\/lib\/postgresql\/15\/main aside \(kept, never deleted\)$/);
});

test('each package is named once: in the install command if it is missing, else in the note', async (t) => {
  const { actions, note } = await planPackages({ mode: 'master', pgVersion: undefined, extraPackages: ['ha-install-no-such-package'], skipPackages: false }, facts, new Logger(undefined));
  const install = actions.find((action) => action.id.startsWith('packages:') && action.id !== 'packages:refresh')!;
  t.regex(actionLine(install), /^Install OS packages ha-install-no-such-package: apt-get install .* ha-install-no-such-package$/);
  t.regex(note ?? '', /^OS packages already installed: postgresql, postgresql-contrib, iputils-ping$/);
  t.is((await planPackages({ mode: 'master', pgVersion: undefined, extraPackages: [], skipPackages: true }, facts, new Logger(undefined))).note, 'OS packages skipped (packages.skip / --skip-packages)');
});
