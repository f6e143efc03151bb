import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, root } from '../helpers/cli.js';
import { inNetns, Terminal } from '../helpers/tmux.js';

/**
 * --plain in a real terminal, and the reachability recovery: the slave address does not answer
 * (an unreachable route inside a private network namespace), the admin chooses "edit", types
 * an address that answers, and the wizard goes on to the plan without restarting.
 */
const term = new Terminal();
test.after.always(() => term.stop());

test('--plain: an unreachable slave can be edited in place, then the plan shows the new peer', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ha-plain-'));
  const facts = join(root, 'test/fixtures/machines/good-server.json');
  await term.start(
    inNetns(`node ${bin} --plain --dry-run --facts ${facts} --state-dir ${dir}/state --log-dir ${dir}/logs`, {
      addresses: ['127.0.0.11', '127.0.0.13'],
      unreachable: ['127.0.0.12'],
    }),
  );
  await term.waitFor(/Choose the install mode/);
  await term.keys('Down', 'Enter');
  await term.waitFor(/Set up High Availability\?/);
  await term.keys('y', 'Enter');
  await term.waitFor(/Master server IP address/);
  await term.keys('literal:127.0.0.11', 'Enter');
  await term.waitFor(/Slave server IP address/);
  await term.keys('literal:127.0.0.12', 'Enter');
  await term.waitFor(/Load balancer IP address/);
  await term.keys('Enter');

  const failed = await term.waitFor(/A server does not answer\. What now\?/);
  t.regex(failed, /slave 127\.0\.0\.12\s+no reply .*No route to host/);
  t.regex(failed, /FAIL/);
  await term.keys('Down', 'Down', 'Enter');
  await term.waitFor(/\? Slave server IP address \(127\.0\.0\.12\)/);
  await term.keys('C-u', 'literal:127.0.0.13', 'Enter');

  await term.waitFor(/Choose the backup \(replication\) password/);
  t.regex(await term.screen(), /slave 127\.0\.0\.13\s+3\/3 pings/);
  await term.keys('literal:Corr3ct-Horse-Battery', 'Enter');
  await term.waitFor(/Type it again|again/i);
  await term.keys('literal:Corr3ct-Horse-Battery', 'Enter');
  await term.waitFor(/Use it\? \(y\/N\)/);
  await term.keys('n', 'Enter');
  const plan = await term.waitFor(/Dry run complete/);
  t.regex(plan, /\+host\s+replication\s+replicator\s+127\.0\.0\.13\/32\s+scram-sha-256/);
  t.notRegex(plan, /Corr3ct-Horse-Battery/);
});
