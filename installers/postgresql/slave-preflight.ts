import type { CheckRow } from '../../src/prompts/prompter.js';
import { hostPort } from '../../src/system/address.js';
import { pgVersion, versionOf, type PostgresqlContext } from './context.js';
import { loginProblem, readMaster, type MasterFacts } from './master-link.js';
import { foreignRoleFix } from './names.js';
import { waitForPort } from './remote.js';

const GB = 1024 ** 3;
const gb = (bytes: number) => `${(bytes / GB).toFixed(1)} GB`;

/** Disk the clone needs: the master's databases, 10% for WAL written meanwhile, 1 GB of air. */
export function cloneBytesNeeded(databaseBytes: number): number {
  return Math.ceil(databaseBytes * 1.1) + GB;
}

function notChecked(names: string[], why: string): CheckRow[] {
  // Not a failure of their own: the row above already failed and says why.
  return names.map((name) => ({ name, measured: `not checked: ${why}`, required: '-', verdict: 'info' as const }));
}

const laterRows = ['replication role', 'PostgreSQL version', 'ha-install version', 'replication slot', 'free disk for the clone'];

/**
 * Everything the slave must know before it changes anything: the master answers, accepts the
 * replication login, runs the same major version from the same ha-install build, has the slot,
 * and this disk can hold the clone. Waits (with a countdown) for a master still installing.
 */
export async function preflightSlave(ctx: PostgresqlContext): Promise<{ rows: CheckRow[] }> {
  const a = ctx.answers;
  const address = hostPort(a.masterIp, a.pgPort);
  const started = Date.now();
  const open = await waitForPort(a.masterIp, a.pgPort, a.masterWaitSeconds, ctx.onWait);
  const waited = Math.round((Date.now() - started) / 1000);
  const rows: CheckRow[] = [
    {
      name: 'master port',
      field: 'master-ip',
      measured: open ? `${address} answers${waited > 1 ? ` (after ${waited} s)` : ''}` : `${address}: no answer within ${a.masterWaitSeconds} s`,
      required: `open within ${a.masterWaitSeconds} s`,
      verdict: open ? 'ok' : 'fail',
      fix: open ? undefined : `finish the master install first (PostgreSQL must listen on ${address}), or raise postgresql.master-wait-seconds`,
    },
  ];
  if (!open) return { rows: [...rows, ...notChecked(['replication login', ...laterRows], 'the master does not answer')] };

  let master: MasterFacts;
  try {
    master = await readMaster(ctx);
  } catch (error) {
    const problem = loginProblem(ctx, error);
    rows.push({ name: 'replication login', field: 'postgresql.backup-password', measured: problem.message, required: `${a.replicationUser} logs in with the backup password`, verdict: 'fail', fix: problem.fix });
    return { rows: [...rows, ...notChecked(laterRows, 'no login')] };
  }
  rows.push({ name: 'replication login', measured: `${a.replicationUser} logged in`, required: `${a.replicationUser} logs in with the backup password`, verdict: 'ok' });
  const roleOk = !master.role.superuser && master.role.ours;
  rows.push({
    name: 'replication role',
    field: 'postgresql.replication-user',
    measured: master.role.superuser ? `${a.replicationUser} is a superuser on the master` : master.role.ours ? `${a.replicationUser}, created by ha-install` : `${a.replicationUser} was not created by ha-install`,
    required: 'the role ha-install created on the master, never a superuser',
    verdict: roleOk ? 'ok' : 'fail',
    fix: roleOk ? undefined : foreignRoleFix(a.replicationUser),
  });

  const local = pgVersion(ctx);
  const remote = Math.floor(master.versionNum / 10000);
  rows.push({
    name: 'PostgreSQL version',
    field: 'postgresql.version',
    measured: `master ${remote}, this server ${local}`,
    required: 'the same major version',
    verdict: remote === local ? 'ok' : 'fail',
    fix: remote === local ? undefined : `set postgresql.version: ${remote} (streaming replication needs the same major version)`,
  });

  const ours = versionOf(ctx);
  rows.push({
    name: 'ha-install version',
    measured: master.buildVersion ? `master ${master.buildVersion}, this one ${ours}` : 'the master was not set up by ha-install',
    required: 'master and slave installed from the same build',
    verdict: master.buildVersion === ours ? 'ok' : 'fail',
    fix: master.buildVersion === ours ? undefined : `run ha-install ${ours} in master mode on ${a.masterIp} first`,
  });

  const slot = master.slot;
  const foreign = slot?.active && slot.clientAddress !== a.slaveIp;
  rows.push({
    name: 'replication slot',
    measured: !slot ? `${a.slotName} missing` : foreign ? `${a.slotName} in use by ${slot.clientAddress ?? 'another client'}` : `${a.slotName} ${slot.active ? 'in use by this server' : 'ready'}`,
    required: `${a.slotName} exists and is free`,
    verdict: slot && !foreign ? 'ok' : 'fail',
    fix: !slot ? `run the master install again (it creates the slot), or check postgresql.slot` : foreign ? 'another server streams from this slot: stop it, or give this slave its own postgresql.slot' : undefined,
  });

  const need = cloneBytesNeeded(master.databaseBytes);
  const free = ctx.facts.disk.freeBytes;
  rows.push({
    name: 'free disk for the clone',
    measured: `${gb(free)} free on ${ctx.facts.disk.mount}`,
    required: `${gb(need)} (master's ${gb(master.databaseBytes)} + 10% + 1 GB)`,
    verdict: free >= need ? 'ok' : 'fail',
    fix: free >= need ? undefined : `free ${gb(need - free)} on ${ctx.facts.disk.mount} (old data directories moved aside by earlier runs can go)`,
  });
  return { rows };
}
