import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exits, type SystemdCase } from '../case.js';

const ourVersion = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The bed itself: systemd is PID 1, and the copied node runs the copied build. */
export const boot: SystemdCase = {
  title: 'systemd is PID 1 and ha-install runs inside',
  async run(t) {
    assert.equal(await t.box.sh('cat /proc/1/comm'), 'systemd');
    assert.equal(await t.box.sh('systemctl is-system-running'), 'running');
    const r = await t.cli(['--version']);
    exits(r, 0, 'ha-install --version');
    assert.equal(r.stdout.trim(), ourVersion);
  },
};
