import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Action, ActionHandlers, ApplyContext, WaitAction } from './actions.js';
import { removeBlock, replaceBlock } from './text.js';
import { run } from '../system/exec.js';
import { ApplyError } from '../system/errors.js';
import { userIds } from '../system/users.js';

/** What one action needs besides its ApplyContext. */
export interface ActionEnvironment {
  handlers?: ActionHandlers;
  /** Suffix for paths moved aside, e.g. `20261122-043000`. */
  stamp: string;
}

type Outcome = string | undefined; // a note for the done event, e.g. "unchanged"

function needHandlers(env: ActionEnvironment, kind: string): ActionHandlers {
  if (!env.handlers) throw new ApplyError(`This run cannot apply "${kind}" actions: no handler was given (a bug in ha-install).`);
  return env.handlers;
}

async function writeWhole(action: Extract<Action, { kind: 'file' }>, ctx: ApplyContext): Promise<Outcome> {
  const before = existsSync(action.path) ? await readFile(action.path, 'utf8') : undefined;
  const mode = before === undefined ? undefined : (await stat(action.path)).mode & 0o7777;
  if (before === action.content && mode === action.mode) return 'unchanged';
  const temporary = `${action.path}.ha-install-tmp`;
  // A folder of ha-install's own (/etc/ha-install/services) is made on first use; others exist already.
  await mkdir(dirname(action.path), { recursive: true, mode: 0o755 });
  await writeFile(temporary, action.content, { mode: action.mode });
  await chmod(temporary, action.mode);
  if (action.owner) {
    const ids = userIds(action.owner);
    await chown(temporary, ids.uid, ids.gid);
  }
  if (action.validate) {
    // The new content is checked where it will live (relative includes, the same filesystem); refused, it goes.
    const argv = action.validate.map((arg) => arg.replaceAll('{file}', temporary));
    const checked = await run(argv, ctx.log, { reject: false, title: `Checking the new ${action.path}`, cwd: '/' });
    if (checked.exitCode !== 0) {
      await rm(temporary, { force: true });
      throw new ApplyError(`The new ${action.path} was refused by \`${argv[0]}\` (exit ${checked.exitCode}): the file was not changed.\n${ctx.log.scrub((checked.stderr || checked.stdout).trim().split('\n').slice(-12).join('\n'))}`);
    }
  }
  await ctx.backup(action.path);
  await rename(temporary, action.path);
  return before === undefined ? 'created' : 'updated';
}

async function waitFor(action: WaitAction, ctx: ApplyContext, handlers: ActionHandlers): Promise<Outcome> {
  const started = Date.now();
  const deadline = started + action.timeoutSeconds * 1000;
  let last: string[] | undefined;
  for (;;) {
    last = (await handlers.sql(action.target, action.sql, ctx, action.title))[0];
    if (last?.[0] === 't') return `after ${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (Date.now() >= deadline) break;
    if (last?.[1]) ctx.progress(undefined, last[1]);
    await delay(action.intervalMs);
  }
  const why = `${action.failure}${last?.[1] ? ` (${last[1]})` : ''}`;
  if (action.onTimeout === 'go on') {
    ctx.log.warn(`${action.title}: ${why}; going on`);
    return `${why}; went on`;
  }
  throw new ApplyError(why);
}

/** Applies one action that is not an `either` (the runner unfolds those). */
export async function applyAction(action: Exclude<Action, { kind: 'either' }>, ctx: ApplyContext, env: ActionEnvironment): Promise<Outcome> {
  switch (action.kind) {
    case 'file':
      return writeWhole(action, ctx);
    case 'block': {
      const before = existsSync(action.path) ? await readFile(action.path, 'utf8') : '';
      const after = replaceBlock(before, action.marker, action.content, action.position);
      if (after === before) return 'unchanged';
      await ctx.backup(action.path);
      await writeFile(action.path, after); // in place: keeps the file's owner and mode
      return 'updated';
    }
    case 'remove': {
      if (!existsSync(action.path)) return 'nothing to remove';
      if (action.marker === undefined) {
        await ctx.backup(action.path);
        await rm(action.path);
        return 'removed (backed up)';
      }
      const before = await readFile(action.path, 'utf8');
      const after = removeBlock(before, action.marker);
      if (after === before) return 'nothing to remove';
      await ctx.backup(action.path);
      await writeFile(action.path, after); // in place: keeps the file's owner and mode
      return 'removed (backed up)';
    }
    case 'command': {
      const parse = action.progress;
      const onOutput = parse
        ? (chunk: string) => {
            const parsed = parse(chunk);
            if (parsed) ctx.progress(parsed.percent, parsed.detail);
          }
        : undefined;
      await run(action.argv, ctx.log, { user: action.user, env: action.env, onOutput, title: action.title, timeoutMs: action.timeoutMs, cwd: '/' });
      return undefined;
    }
    case 'move-aside': {
      if (!existsSync(action.path)) return 'nothing there';
      const target = `${action.path}.ha-install-${env.stamp}`;
      await rename(action.path, target);
      ctx.log.info(`moved ${action.path} aside to ${target} (kept, never deleted)`);
      return `moved to ${target}`;
    }
    case 'sql': {
      const statements = action.separately ? action.sql.split(/;\n/).filter((text) => text.trim() !== '') : [action.sql];
      let rows: string[][] = [];
      for (const statement of statements) rows = await needHandlers(env, 'sql').sql(action.target, statement, ctx, action.title);
      return action.note?.(rows);
    }
    case 'service':
      return needHandlers(env, 'service').service(action, ctx);
    case 'wait':
      return waitFor(action, ctx, needHandlers(env, 'wait'));
    case 'step':
      return (await action.run(ctx)) ?? undefined;
  }
}
