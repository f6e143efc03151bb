import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, root, runCli } from '../helpers/cli.js';
import { inNetns, Terminal } from '../helpers/tmux.js';

/**
 * The wizard's menus as a person uses them, in a real pseudo-terminal: the mode menu's numbers
 * (the README says "choose 3"), and the way on from a machine below the minimum requirements
 * without starting over with a flag. Runs in a private network namespace where 127.0.0.11 and
 * 127.0.0.12 are this machine's addresses.
 */
const terminals: Terminal[] = [];
const folders: string[] = [];
test.after.always(async () => {
  await Promise.all(terminals.map((term) => term.stop()));
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});
const tempFolder = (prefix: string) => {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
};

const machine = (name: string) => join(root, 'test/fixtures/machines', `${name}.json`);
const loopback = { addresses: ['127.0.0.11', '127.0.0.12'] };

async function wizard(args: string): Promise<{ term: Terminal; folder: string }> {
  const folder = tempFolder('ha-choices-');
  const term = new Terminal();
  terminals.push(term);
  const command = `node ${bin} ${args} --state-dir ${folder}/state --log-dir ${folder}/logs`;
  await term.start(`${inNetns(command, loopback)}; echo "exit=$?"`);
  return { term, folder };
}

const log = (folder: string) => readFileSync(join(folder, 'logs', readdirSync(join(folder, 'logs'))[0]!), 'utf8');

test('ink: in the mode menu a number moves to its entry and Enter confirms it', async (t) => {
  const { term } = await wizard(`--dry-run --facts ${machine('good-server-slave')}`);
  await term.waitFor(/❯ 1 {2}Standalone/);
  await term.keys('2');
  await term.waitFor(/❯ 2 {2}HA master/);
  t.regex(await term.screen(), /\? Choose the install mode/, 'a number alone does not confirm');
  t.notRegex(await term.screen(), /\? Set up High Availability\?/);
  await term.keys('3', 'Enter');
  const screen = await term.waitFor(/\? Set up High Availability\?/);
  t.regex(screen, /✔ Choose the install mode 3 {2}HA slave/);
  await term.keys('C-c');
  t.regex(await term.waitFor(/exit=\d+/), /exit=130/);
});

for (const plain of [false, true]) {
  const name = plain ? '--plain' : 'ink';
  test(`${name}: below the minimum requirements the admin can go on anyway, and the log records it`, async (t) => {
    const saved = join(tempFolder('ha-saved-'), 'answers.yaml');
    const { term, folder } = await wizard(`${plain ? '--plain ' : ''}--dry-run --facts ${machine('small-vm-2gb')} --save-answers ${saved}`);
    const enter = plain ? ['Enter'] : [];
    await term.waitFor(/Choose the install mode/);
    // Standalone: the requirement check is every mode's, and this one needs no peer or agent to answer.
    await term.keys('1', 'Enter');
    const menu = await term.waitFor(/requirements\. What now\?/);
    t.regex(menu, /RAM\s+2\.0 GB\s+4 GB\s+(✖ fail|FAIL)/);
    t.regex(menu, /1 {2}Go on anyway \(the log records it\)/);
    await term.keys('1', 'Enter');
    await term.waitFor(/Going on below the minimum/);
    const end = await term.waitFor(/exit=\d+/);
    t.regex(end, /Dry run complete/);
    t.regex(end, /exit=0/);
    t.notRegex(end, /--ignore-requirements/, 'a wizard run is never told to start over with the flag');
    t.regex(log(folder), /IGNORED: the admin chose "go on anyway" \(RAM, CPU cores, Free disk/);

    // The choice is saved, so the install replays unattended as it ran.
    t.regex(readFileSync(saved, 'utf8'), /requirements:\n(?: {2}.*\n)* {2}ignore: true/);
    const replay = await runCli(['--answers', saved, '--dry-run', '--facts', machine('small-vm-2gb'), '--state-dir', join(folder, 'state'), '--log-dir', join(folder, 'logs')], { netns: loopback });
    t.is(replay.exitCode, 0, replay.stderr);
  });
}

test('ink: with --ignore-requirements given, the shortfalls are warnings and nothing says to pass it', async (t) => {
  const { term } = await wizard(`--dry-run --ignore-requirements --facts ${machine('small-vm-2gb')}`);
  await term.waitFor(/Choose the install mode/);
  await term.keys('4', 'Enter');
  await term.waitFor(/Set up High Availability\?/);
  await term.keys('y');
  const screen = await term.waitFor(/Master server IP address/);
  t.regex(screen, /RAM\s+2\.0 GB\s+4 GB\s+! warn/);
  t.regex(screen, /fix: add memory to this server\n/);
  t.notRegex(screen, /ignore-requirements|requirements\.ignore|What now\?/);
  await term.keys('C-c');
  t.regex(await term.waitFor(/exit=\d+/), /exit=130/);
});
