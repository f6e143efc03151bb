import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import type { Container, ExecResult } from '../../scripts/systemd/container.js';

/**
 * The case API of the systemd test bed (`npm run test:systemd`). A case is one module under
 * test/systemd/cases/ exporting a `SystemdCase`; cases/index.ts lists them in the order they
 * run, all in one booted container, each building on the ones before (the demo comes and goes
 * first, then the pair). A case passes when `run` returns and fails when it throws: use
 * node:assert, and put what the reader needs (the command's output) in the message.
 * Later services (agent, monitor) and the old-master guard get their own case files.
 */

export interface SystemdCase {
  /** Shown as `✔ systemd › <title>`. */
  title: string;
  run(t: CaseContext): Promise<void>;
}

export interface CaseContext {
  box: Container;
  /** ha-install inside the container: `node /opt/ha-install/bin/ha-install.js ...args`. */
  cli(args: string[], options?: { input?: string }): Promise<ExecResult>;
  /** Powers the container off and boots it again; the disk is kept, as on a real reboot. */
  reboot(): Promise<void>;
  /** A line printed under the case's result (a timing, a fact worth seeing in CI's log). */
  note(line: string): void;
  /** What one case leaves for a later one (e.g. the machine's state before the demo). */
  memo: Map<string, string>;
}

/** Where the project is copied inside the container. */
export const HA_INSTALL = '/opt/ha-install/bin/ha-install.js';
export const PG_VERSION = 15;

export const output = (r: ExecResult): string => `exit ${r.exitCode}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;

export function exits(r: ExecResult, code: number, what: string): void {
  assert.equal(r.exitCode, code, `${what}: expected exit ${code}\n${output(r)}`);
}

/** `systemctl is-active UNIT`: active, activating, inactive, failed... */
export async function unitState(box: Container, unit: string): Promise<string> {
  return (await box.exec(['systemctl', 'is-active', unit])).stdout.trim();
}

/**
 * systemd and PostgreSQL agree: the unit is active and its main PID is the postmaster that
 * postmaster.pid names (so `systemctl stop` stops the real server).
 */
export async function assertUnitRunsCluster(box: Container, cluster: string): Promise<void> {
  const unit = `postgresql@${PG_VERSION}-${cluster}`;
  assert.equal(await unitState(box, unit), 'active', `${unit} is not active:\n${(await box.exec(['systemctl', 'status', '--no-pager', unit])).stdout}`);
  const mainPid = await box.sh(`systemctl show -p MainPID --value ${unit}`);
  const postmaster = await box.sh(`head -1 /var/lib/postgresql/${PG_VERSION}/${cluster}/postmaster.pid`);
  assert.equal(mainPid, postmaster, `${unit}: systemd's MainPID ${mainPid}, postmaster.pid ${postmaster}`);
}

/** psql as postgres inside the container, `-At`, through a socket directory and port. */
export async function psql(box: Container, socketDir: string, port: number, sql: string): Promise<ExecResult> {
  return box.exec(['runuser', '-u', 'postgres', '--', 'psql', '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-d', 'postgres', '-c', sql]);
}

/** Polls until `check` holds; returns whether it did within `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await delay(200);
  }
  return check();
}

/** Units systemd counts as failed (empty when none). */
export async function failedUnits(box: Container): Promise<string> {
  return (await box.exec(['systemctl', '--failed', '--no-legend', '--plain'])).stdout.trim();
}
