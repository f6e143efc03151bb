import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, root } from '../helpers/cli.js';
import { overlongLines, splitWords } from '../helpers/screen-fit.js';
import { inNetns, Terminal } from '../helpers/tmux.js';

/**
 * The screens a newcomer meets, as a person sees them at an 80-column terminal: the real binary
 * in tmux, in --plain and in the ink wizard, through a master dry run to its plan, a requirement
 * check that stops, and a refused flag. Each is also run 150 columns wide: at 80 no line may be
 * wider than the terminal and every word of the wide screen must still be whole.
 */
const narrow = 80;
const wide = 150;
const terminals: Terminal[] = [];
const folders: string[] = [];
test.after.always(async () => {
  await Promise.all(terminals.map((term) => term.stop()));
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const machine = (name: string) => join(root, 'test/fixtures/machines', `${name}.json`);
type Drive = (term: Terminal) => Promise<void>;

async function capture(columns: number, args: string, drive: Drive): Promise<{ screen: string; folder: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'ha-screen-'));
  folders.push(folder);
  const term = new Terminal();
  terminals.push(term);
  const command = `node ${bin} ${args} --state-dir ${folder}/state --log-dir ${folder}/logs`;
  await term.start(`${inNetns(command, { addresses: ['127.0.0.11', '127.0.0.12'] })}; echo "exit=$?"`, { columns, rows: 45 });
  await drive(term);
  await term.waitFor(/exit=\d+/);
  return { screen: await term.joinedScreen(), folder };
}

/** Runs the same screens at 80 and 150 columns and checks the narrow one against the wide one. */
async function atBothWidths(t: ExecutionContext, args: string, drive: Drive): Promise<{ screen: string; wideScreen: string }> {
  const [small, big] = await Promise.all([capture(narrow, args, drive), capture(wide, args, drive)]);
  t.deepEqual(overlongLines(small.screen, narrow), [], 'no line is wider than 80 columns');
  t.deepEqual(splitWords(small, big), [], 'no word is split across lines at 80 columns');
  t.log(small.screen.trimEnd().split('\n').slice(-40).join('\n'));
  return { screen: small.screen, wideScreen: big.screen };
}

const masterDryRun = (plain: boolean): Drive => async (term) => {
  const enter = plain ? ['Enter'] : [];
  await term.waitFor(/Choose the install mode/);
  await term.keys('2', 'Enter');
  await term.waitFor(/Set up High Availability\?/);
  await term.keys('y', ...enter);
  await term.waitFor(/Master server IP address/);
  await term.keys('literal:127.0.0.11', 'Enter');
  await term.waitFor(/Slave server IP address/);
  await term.keys('literal:127.0.0.12', 'Enter');
  await term.waitFor(/Load balancer IP address/);
  await term.keys('Enter');
  await term.waitFor(/Choose the backup \(replication\) password/);
  await term.keys('literal:Corr3ct-Horse-Battery', 'Enter');
  await term.waitFor(/Type it again/);
  await term.keys('literal:Corr3ct-Horse-Battery', 'Enter');
  await term.waitFor(/Use it\? \(y\/N\)/);
  await term.keys('n', ...enter);
  await term.waitFor(/Dry run complete/);
};

for (const plain of [false, true]) {
  const name = plain ? '--plain' : 'ink';
  test(`${name}: a master dry run fits 80 columns, from the mode menu to the plan`, async (t) => {
    const { screen, wideScreen } = await atBothWidths(t, `${plain ? '--plain ' : ''}--dry-run --facts ${machine('good-server')}`, masterDryRun(plain));
    t.regex(screen, plain ? /Step 10\/13: The plan/ : /Step 10\/13 · The plan/, 'a dry run counts the same thirteen steps as an install');
    if (plain) t.regex(screen, /Step 11\/13 skipped: Confirmation \(dry run\)/);
    t.regex(wideScreen, /slave 127\.0\.0\.12\s+3\/3 pings, [\d.]+ ms round trip; tcp\/5432 refused in \d+ ms: the host is up, nothing listens yet\s+answers within 2 s/);
    t.regex(wideScreen, /Synchronous replication: no commit is lost on failover, but every write waits for the slave\. Use it\? no/i);
    t.regex(wideScreen, /Store the replication password in \/var\/lib\/postgresql\/\.pgpass \(mode 0600, owner postgres\)/);
    t.is(wideScreen.match(/already installed/g)?.length, 1, 'the packages already installed are said once: no action for them, one note');
    t.regex(screen, /exit=0/);
  });

  test(`${name}: a requirement check that stops, and its final error, fit 80 columns`, async (t) => {
    const { screen, wideScreen } = await atBothWidths(t, `${plain ? '--plain ' : ''}--dry-run --facts ${machine('small-vm-2gb')}`, async (term) => {
      await term.waitFor(/Choose the install mode/);
      await term.keys('4', 'Enter');
      await term.waitFor(/Set up High Availability\?/);
      await term.keys('y', ...(plain ? ['Enter'] : []));
      await term.waitFor(/requirements\. What now\?/);
      await term.keys('2', 'Enter');
    });
    t.regex(wideScreen, /Init system\s+none \(services run under pg_ctlcluster\/pg_ctl\)\s+systemd or none\s+(i )?info/);
    t.regex(screen, /✖ Stopped at the requirement check: nothing was changed\./);
    t.regex(wideScreen, /Free disk \(\/var\/lib\/postgresql\): measured 18\.0 GB free on \/, required 100 GB/);
    t.regex(wideScreen, /Run the wizard again and choose "Go on anyway", or pass --ignore-requirements\./);
    t.regex(screen, /exit=2/);
  });
}

test('a refused flag is named in the heading and fixed as a flag, at 80 columns', async (t) => {
  const { screen } = await atBothWidths(t, `--mode bogus --pg-port x --dry-run --facts ${machine('good-server')}`, async () => {});
  t.regex(screen, /✖ --mode and --pg-port have invalid values: nothing was changed\./);
  t.regex(screen, /fix: e\.g\. --mode master/);
  t.regex(screen, /fix: e\.g\. --pg-port 5432/);
  t.notRegex(screen, /answers file|mode: "master"|port: 5432/, 'no answers-file syntax for a flag');
  t.regex(screen, /exit=2/);
});
