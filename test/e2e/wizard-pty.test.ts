import test from 'ava';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { inNetns, Terminal } from '../helpers/tmux.js';
import { bin, root, runCli } from '../helpers/cli.js';

/**
 * The wizard as a person sees it: the real binary in a tmux pseudo-terminal, driven with
 * send-keys and read with capture-pane, from the mode menu through to the plan screen. It
 * runs in a private network namespace where 127.0.0.11 and 127.0.0.12 are this machine's.
 */
const term = new Terminal();
const { waitFor, keys, screen } = { waitFor: term.waitFor.bind(term), keys: term.keys.bind(term), screen: term.screen.bind(term) };

test.after.always(() => term.stop());

test('the ink wizard walks from the mode menu to the plan, validating as the admin types', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ha-pty-'));
  const facts = join(root, 'test/fixtures/machines/good-server.json');
  await term.start(inNetns(`node ${bin} --dry-run --facts ${facts} --state-dir ${dir}/state --log-dir ${dir}/logs --save-answers ${dir}/saved.yaml`, { addresses: ['127.0.0.11', '127.0.0.12'] }));

  await waitFor(/Choose the install mode/);
  t.regex(await screen(), /2 {2}HA master/);
  await keys('Down', 'Enter');
  await waitFor(/Set up High Availability\?/);
  await keys('y');
  await waitFor(/Master server IP address/);
  t.regex(await screen(), /RAM\s+16\.0 GB\s+4 GB\s+✔ ok/, 'the requirement table shows measured vs required');

  await keys('literal:192.168.0.300');
  await waitFor(/part "300" is not a number/);
  await keys('Enter');
  await delay(200);
  t.notRegex(await screen(), /Slave server IP address/, 'Enter is refused while the address is invalid');
  for (let i = 0; i < 13; i++) await keys('BSpace');
  await keys('literal:127.0.0.11', 'Enter');

  await waitFor(/Slave server IP address/);
  await keys('literal:127.0.0.11');
  await waitFor(/same as master-ip/);
  await keys('BSpace', 'BSpace', 'literal:12', 'Enter');

  // A database node may have no load balancer (yet): Enter leaves it out.
  await waitFor(/Load balancer IP address/);
  await keys('Enter');

  await waitFor(/Choose the backup \(replication\) password/);
  t.regex(await screen(), /slave 127\.0\.0\.12\s+3\/3 pings/, 'the reachability table shows the pings');
  await keys('literal:Corr3ct-Horse-Battery', 'Enter');
  await delay(200);
  await keys('literal:Corr3ct-Horse-Battery', 'Enter');
  await waitFor(/Use it\? \(y\/N\)/);
  await keys('n');

  const plan = await waitFor(/Dry run complete/);
  t.regex(plan, /HA master install on db1/);
  t.regex(plan, /Install OS packages|OS packages already installed/);
  t.regex(plan, /\+host\s+replication\s+replicator\s+127\.0\.0\.12\/32\s+scram-sha-256/);
  t.notRegex(plan, /Corr3ct-Horse-Battery/, 'the password never reaches the screen');
  t.false(existsSync(join(dir, 'state')), 'a dry run writes no state');
  const log = readFileSync(join(dir, 'logs', readdirSync(join(dir, 'logs'))[0]!), 'utf8');
  t.notRegex(log, /Corr3ct-Horse-Battery/, 'nor the log');
  t.log(plan.split('\n').slice(-60).join('\n'));

  // The same install replays unattended from the saved answers, the password from the environment.
  const saved = join(dir, 'saved.yaml');
  t.is(statSync(saved).mode & 0o777, 0o600);
  const text = readFileSync(saved, 'utf8');
  t.notRegex(text, /Corr3ct-Horse-Battery/);
  t.regex(text, /master-ip: 127\.0\.0\.11/);
  const replay = await runCli(['--answers', saved, '--dry-run', '--facts', facts, '--state-dir', join(dir, 'state'), '--log-dir', join(dir, 'logs')], {
    netns: { addresses: ['127.0.0.11', '127.0.0.12'] },
    env: { HA_BACKUP_PASSWORD: 'Corr3ct-Horse-Battery' },
  });
  t.is(replay.exitCode, 0, replay.stderr);
  t.regex(replay.stderr, /HA master install on db1/);
  t.regex(replay.stderr, /Dry run complete/);
});
