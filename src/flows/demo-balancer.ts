import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answers } from '../answers/types.js';
import { hostPort } from '../system/address.js';
import type { Logger } from '../system/log.js';
import { pgpassLine } from '../../installers/postgresql/config.js';
import { scramMatches, scramVerifier } from '../../installers/postgresql/scram.js';
import { literal, sqlValue } from '../../installers/postgresql/sql.js';
import type { DemoOptions } from '../../installers/postgresql/demo.js';

/**
 * The demo's third server: HAProxy on 127.0.0.10 in front of the pair, installed by the same
 * mode 4 an admin runs, and a client that can log in through it: a role of the demo's own
 * with a generated password, kept in a password file of the demo's (PGPASSFILE), so the
 * printed psql line works as pasted and no password is ever in an argv.
 */

export const demoBalancerDir = (demoDir: string) => join(demoDir, 'haproxy');
export const demoPgpass = (demoDir: string) => join(demoDir, 'pgpass');
export const demoClientRole = (prefix: string) => `${prefix}_app`;

export function balancerAnswers(options: DemoOptions, demoDir: string): Partial<Answers> {
  return {
    mode: 'load-balancer',
    masterIp: options.master.address,
    slaveIp: options.slave.address,
    balancerIp: options.balancer.address,
    minRamGb: 1,
    minCores: 1,
    minDiskGb: 1,
    skipPackages: true,
    pgPort: options.port,
    agentPort: options.agentPort,
    balancerPort: options.balancerPort,
    statsPort: options.statsPort,
    witnessPort: options.witnessPort,
    failoverAutomatic: options.automatic,
    haproxyConfig: join(demoBalancerDir(demoDir), `${options.prefix}.cfg`),
  };
}

/** The folder the balancer's configuration goes to: the demo's, so `--down` takes it away. */
export function prepareBalancerDir(demoDir: string): void {
  mkdirSync(demoBalancerDir(demoDir), { recursive: true, mode: 0o700 });
}

/**
 * The demo's client role on the master (it replicates to the slave), with the password of the
 * demo's password file (made once). A re-run that finds both in place changes nothing.
 */
export async function ensureDemoClient(options: DemoOptions, demoDir: string, log: Logger): Promise<{ role: string; pgpass: string }> {
  const role = demoClientRole(options.prefix);
  const pgpass = demoPgpass(demoDir);
  const line = existsSync(pgpass) ? readFileSync(pgpass, 'utf8').split('\n').find(Boolean) : undefined;
  const password = line?.split(':').at(-1) ?? randomBytes(18).toString('base64url');
  log.redact(password);
  if (!line) {
    const [host, port] = [options.balancer.address, options.balancerPort];
    writeFileSync(pgpass, `${pgpassLine({ host, port, user: role, password })}\n`, { mode: 0o600 });
  }
  const ref = { version: options.version, name: options.master.cluster };
  const current = await sqlValue(ref, `SELECT coalesce(rolpassword, '-') FROM pg_authid WHERE rolname = ${literal(role)}`, log, { title: `Looking up the demo's client role ${role}` });
  if (current === undefined || !scramMatches(password, current)) {
    await sqlValue(
      ref,
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(role)}) THEN CREATE ROLE ${role} LOGIN; END IF;
       END $$;
       ALTER ROLE ${role} LOGIN PASSWORD ${literal(scramVerifier(password))};
       GRANT CREATE ON SCHEMA public TO ${role};`,
      log,
      { title: `Creating the demo's client role ${role}` },
    );
  }
  return { role, pgpass };
}

/** The line that shows a client going through the balancer, working as pasted (as root: the file is root's). */
export function clientLine(options: DemoOptions, client: { role: string; pgpass: string }, sql: string): string {
  const [host, port] = hostPort(options.balancer.address, options.balancerPort).split(/:(?=\d+$)/);
  return `PGPASSFILE=${client.pgpass} psql "host=${host} port=${port} dbname=postgres user=${client.role}" -c "${sql}"`;
}
