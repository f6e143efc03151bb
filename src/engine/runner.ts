import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, readFile, rename, stat, writeFile } from 'node:fs/promises';
import type { Action, ApplyContext, Plan, ProgressEvent } from './actions.js';
import type { BackupStore } from './backups.js';
import type { Journal } from './journal.js';
import { replaceBlock } from './text.js';
import { run } from '../system/exec.js';
import type { Logger } from '../system/log.js';
import { AbortError, ApplyError, InputError, formatProblem } from '../system/errors.js';
import { installCommand, parsePackageProgress, refreshCommand } from '../../installers/packages/manager.js';

export interface RunnerOptions {
  log: Logger;
  backups: BackupStore;
  journal: Journal;
  onEvent: (event: ProgressEvent) => void;
  secrets: Record<string, string>;
  /** Suffix for paths moved aside, e.g. `20261122-043000`. */
  stamp: string;
}

/** Looks up a user's uid/gid in /etc/passwd (no dependency on `id` output formats). */
export function userIds(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new ApplyError(`The OS user "${name}" does not exist.`, { nextSteps: [`Install the package that creates it (PostgreSQL creates "postgres").`] });
  const parts = line.split(':');
  return { uid: Number(parts[2]), gid: Number(parts[3]) };
}

/** Turns apt/dnf output into progress events. */
const packageProgress = (ctx: ApplyContext) => (chunk: string) => {
  const parsed = parsePackageProgress(chunk);
  if (parsed) ctx.progress(parsed.percent, parsed.detail);
};

type Outcome = string | undefined; // a note for the done event, e.g. "unchanged"

async function applyAction(action: Action, ctx: ApplyContext, options: RunnerOptions): Promise<Outcome> {
  switch (action.kind) {
    case 'packages': {
      if (action.install.length === 0) return 'already installed';
      const onOutput = packageProgress(ctx);
      if (action.manager === 'apt') await run(refreshCommand('apt'), ctx.log, { env: { DEBIAN_FRONTEND: 'noninteractive' }, title: 'Refreshing the package lists' });
      const command = installCommand(action.manager, action.install);
      await run(command.argv, ctx.log, { env: command.env, onOutput, title: 'Package installation' });
      return `installed ${action.install.join(', ')}`;
    }
    case 'file': {
      const before = existsSync(action.path) ? await readFile(action.path, 'utf8') : undefined;
      const mode = before === undefined ? undefined : (await stat(action.path)).mode & 0o7777;
      if (before === action.content && mode === action.mode) return 'unchanged';
      await ctx.backup(action.path);
      const temporary = `${action.path}.ha-install-tmp`;
      await writeFile(temporary, action.content, { mode: action.mode });
      await chmod(temporary, action.mode);
      if (action.owner) {
        const ids = userIds(action.owner);
        await chown(temporary, ids.uid, ids.gid);
      }
      await rename(temporary, action.path);
      return before === undefined ? 'created' : 'updated';
    }
    case 'block': {
      const before = existsSync(action.path) ? await readFile(action.path, 'utf8') : '';
      const after = replaceBlock(before, action.marker, action.content, action.position);
      if (after === before) return 'unchanged';
      await ctx.backup(action.path);
      await writeFile(action.path, after); // in place: keeps the file's owner and mode
      return 'updated';
    }
    case 'command': {
      const onOutput =
        action.progress === 'pg_basebackup'
          ? (chunk: string) => {
              const matches = [...chunk.matchAll(/(\d+)\/(\d+) kB \((\d+)%\)/g)];
              const last = matches.at(-1);
              if (last) ctx.progress(Number(last[3]), `${Math.round(Number(last[1]) / 1024)} of ${Math.round(Number(last[2]) / 1024)} MB`);
            }
          : action.progress === 'apt'
            ? packageProgress(ctx)
            : undefined;
      await run(action.argv, ctx.log, { user: action.user, env: action.env, onOutput, title: action.title });
      return undefined;
    }
    case 'move-aside': {
      if (!existsSync(action.path)) return 'nothing there';
      const target = `${action.path}.ha-install-${options.stamp}`;
      await rename(action.path, target);
      ctx.log.info(`moved ${action.path} aside to ${target} (kept, never deleted)`);
      return `moved to ${target}`;
    }
    case 'step':
      await action.run(ctx);
      return undefined;
  }
}

/**
 * Applies a plan in order. Before each action the engine announces it, afterwards it records
 * it in the journal, so a re-run after a crash skips what is done. The first failure stops
 * the run; the error names the action and the log.
 */
export async function applyPlan(plan: Plan, options: RunnerOptions): Promise<void> {
  const { log, journal, onEvent } = options;
  const total = plan.actions.length;
  if (journal.resumed) log.info(`resuming an interrupted run of "${plan.title}"`);
  for (const [index, action] of plan.actions.entries()) {
    if (journal.isDone(action.id)) {
      onEvent({ type: 'skipped', id: action.id, title: action.title, reason: 'done in an earlier, interrupted run' });
      continue;
    }
    onEvent({ type: 'start', id: action.id, title: action.title, index: index + 1, total });
    log.info(`action ${index + 1}/${total}: ${action.title}`);
    const ctx: ApplyContext = {
      log,
      secrets: options.secrets,
      backup: async (path) => {
        const copy = await options.backups.backup(path);
        if (copy) log.info(`backed up ${path} to ${copy}`);
        return copy;
      },
      progress: (percent, detail) => onEvent({ type: 'progress', id: action.id, percent, detail }),
    };
    try {
      const note = await applyAction(action, ctx, options);
      journal.markDone(action.id);
      log.info(`done: ${action.title}${note ? ` (${note})` : ''}`);
      onEvent({ type: 'done', id: action.id, title: action.title, note });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.write('error', `${action.title}: ${message}`);
      onEvent({ type: 'failed', id: action.id, title: action.title, message: log.scrub(message) });
      // Already written for the admin. A refusal raised while applying is still a failure while
      // changing the machine (exit 1): earlier actions may have run, so "nothing changed" would lie.
      if (error instanceof InputError) {
        throw new ApplyError(`${action.title} failed: ${error.message.replace(/:? ?nothing (was|is) changed\.?/i, '.')}`, {
          cause: error,
          nextSteps: [...error.problems.map(formatProblem), ...(log.path ? [`See the log: ${log.path}`] : [])],
        });
      }
      if (error instanceof AbortError) throw error;
      throw new ApplyError(`${action.title} failed: ${log.scrub(message)}`, { cause: error, nextSteps: log.path ? [`See the log: ${log.path}`] : [] });
    }
  }
  journal.finish();
}
