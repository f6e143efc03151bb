import { commandLine } from '../system/invocation.js';
import type { FlowContext } from './context.js';

const defaults = { stateDir: '/var/lib/ha-install', logDir: '/var/log/ha-install' };

/** The folder flags a later command on this node needs to find what this run wrote (none for the defaults). */
export function folderArgs(options: { stateDir: string; logDir: string }): string[] {
  return [...(options.stateDir !== defaults.stateDir ? ['--state-dir', options.stateDir] : []), ...(options.logDir !== defaults.logDir ? ['--log-dir', options.logDir] : [])];
}

/** A command to run later on this node, as it works when pasted: this run's program and folders. */
export function onThisNode(ctx: Pick<FlowContext, 'invocation' | 'options'>, args: string[]): string {
  return commandLine(ctx.invocation, [...args, ...folderArgs(ctx.options)]);
}
