import { existsSync, rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { ApplyContext, ServiceAction, ServiceRef } from '../../src/engine/actions.js';
import { ApplyError, BugError } from '../../src/system/errors.js';
import { run } from '../../src/system/exec.js';
import { tcpProbe } from '../../src/system/probes.js';
import { supervisedStatus, unitProperties } from './state.js';
import { reloadSupervised, removeRunFiles, removeSupervised, startSupervisor, stopSupervisor } from './supervised.js';
import { specPath, unitName, unitPath } from './spec.js';

type Managed = Exclude<ServiceRef, { kind: 'postgresql' }>;

/**
 * How the engine runs `service` actions on ha-install's own services (either model) and on a
 * package's systemd unit ha-install configures (Debian's haproxy.service). `start` is
 * "make it run as planned": start what does not run; for what runs, restart or reload only
 * when the plan changed what it reads (ifChanged), so a re-run touches nothing.
 */

/** Whether the service's port answers (the one check that it serves, not only that it runs). */
async function answers(ref: Managed): Promise<boolean> {
  return ref.ready === undefined || (await tcpProbe(ref.ready.host, ref.ready.port, 1)).outcome === 'open';
}

async function waitServing(ref: Managed, unit: string, ctx: ApplyContext): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await answers(ref)) return;
    await delay(100);
  }
  const journal = await run(['journalctl', '-u', unit, '-n', '20', '--no-pager'], ctx.log, { reject: false });
  throw new ApplyError(`${unit} runs but nothing answers on ${ref.ready!.host}:${ref.ready!.port} after 15 s.\n${journal.stdout.trim()}`, { nextSteps: [`See: journalctl -u ${unit}`] });
}

/** What `ifChanged` asks for, given what this run changed. */
function changeOf(action: ServiceAction, ctx: ApplyContext): 'restart' | 'reload' | undefined {
  return action.ifChanged?.find((when) => ctx.changed(when.ids))?.then;
}

async function systemd(action: ServiceAction, ref: Managed, ctx: ApplyContext): Promise<string> {
  const own = ref.kind === 'ha-install';
  const unit = own ? unitName(ref.name) : ref.unit;
  const systemctl = (...args: string[]) => run(['systemctl', ...args], ctx.log, { title: `systemctl ${args.join(' ')}` });
  const props = await unitProperties(unit, ctx.log);
  if (props.has('Error')) throw new ApplyError(`${action.title}: ${props.get('Error')}`, { nextSteps: ['Is systemd running here? `systemctl is-system-running` says.'] });
  // A unit file written (or changed) by this plan is only read after a daemon-reload.
  if (props.get('LoadState') === 'not-found' || props.get('NeedDaemonReload') === 'yes') await systemctl('daemon-reload');
  const active = props.get('ActiveState') === 'active';
  switch (action.op) {
    case 'start': {
      const notes: string[] = [];
      if (props.get('UnitFileState') !== 'enabled') {
        await systemctl('enable', unit);
        notes.push('enabled');
      }
      const change = active ? changeOf(action, ctx) : undefined;
      if (!active) await systemctl('start', unit);
      else if (change) await systemctl(change, unit);
      if (!active || change) await waitServing(ref, unit, ctx);
      notes.push(!active ? 'started' : change ? `${change}ed` : 'already running');
      return notes.length === 1 ? notes[0]! : notes.join(', ');
    }
    case 'stop':
      if (!active) return 'already stopped';
      await systemctl('stop', unit);
      return 'stopped';
    case 'restart':
    case 'reload':
      await systemctl(action.op, unit);
      await waitServing(ref, unit, ctx);
      return `${action.op}ed`;
    case 'remove': {
      if (!own) throw new BugError(`${unit} belongs to its package: ha-install does not remove it`);
      if (props.get('LoadState') !== 'not-found') await systemctl('disable', '--now', unit);
      if (existsSync(specPath(ref.name))) removeRunFiles(ref.name);
      for (const path of [unitPath(ref.name), specPath(ref.name)]) {
        if (!existsSync(path)) continue;
        await ctx.backup(path);
        rmSync(path);
      }
      await systemctl('daemon-reload');
      await run(['systemctl', 'reset-failed', unit], ctx.log, { reject: false }); // a unit that never failed has nothing to reset
      return props.get('LoadState') === 'not-found' ? 'nothing there' : 'stopped and removed';
    }
    default:
      throw new BugError(`${unit} has no ${action.op}`);
  }
}

async function supervised(action: ServiceAction, ref: Extract<Managed, { kind: 'ha-install' }>, ctx: ApplyContext): Promise<string> {
  const status = supervisedStatus(ref.name);
  const runs = status.state === 'running' || status.state === 'restarting';
  const start = () => startSupervisor(ref, action.command, ctx, answers);
  switch (action.op) {
    case 'start': {
      if (!runs) {
        await start();
        return 'started';
      }
      const change = changeOf(action, ctx);
      if (change === 'reload') {
        reloadSupervised(ref);
        return 'reloaded';
      }
      if (change !== 'restart') return 'already running';
      await stopSupervisor(ref.name, ctx);
      await start();
      return 'restarted';
    }
    case 'stop':
      return (await stopSupervisor(ref.name, ctx)) ? 'stopped' : 'already stopped';
    case 'restart':
      await stopSupervisor(ref.name, ctx);
      await start();
      return 'restarted';
    case 'reload':
      reloadSupervised(ref);
      return 'reloaded';
    case 'remove':
      return removeSupervised(ref.name, ctx);
    default:
      throw new BugError(`${ref.name} has no ${action.op}`);
  }
}

export async function runManagedService(action: ServiceAction, ctx: ApplyContext): Promise<string> {
  const ref = action.service;
  if (ref.kind === 'postgresql') throw new BugError('PostgreSQL clusters are run by the PostgreSQL installer');
  if (ref.kind === 'systemd-unit' || ref.init === 'systemd') return systemd(action, ref, ctx);
  return supervised(action, ref, ctx);
}
