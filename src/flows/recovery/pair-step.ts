import { InputError } from '../../system/errors.js';
import { commandLine } from '../../system/invocation.js';
import type { Step } from '../context.js';
import { isPairNode, peerOf, readState, selfOf, stateFile } from '../state.js';
import type { RecoveryContext } from './context.js';

/**
 * The pair as the install left it on this node: who the two nodes are, which cluster is this
 * node's. Without it the node is not part of a pair, and no recovery command applies.
 */
export const pairStep: Step<RecoveryContext> = {
  id: 'pair',
  title: 'The pair',
  run: async (ctx) => {
    const state = readState(ctx.options.stateDir);
    if (!isPairNode(state)) {
      throw new InputError(`This node is not part of an ha-install pair: nothing to ${ctx.command}.`, [
        {
          field: stateFile(ctx.options.stateDir),
          message: state ? `this machine was installed as ${state.installedAs}, not as a master or slave` : 'no node state here',
          fix: `install the pair first (${commandLine(ctx.invocation, [])} on each node), or point --state-dir at the node's state folder`,
        },
      ]);
    }
    ctx.state = state;
    ctx.ref = { version: state.pgVersion, name: state.pgCluster };
    ctx.self = selfOf(state);
    ctx.peer = peerOf(state);
    ctx.log.info(`pair: this node ${state.self} (${state.pgVersion}/${state.pgCluster}), peer ${ctx.peer?.address}, installed as ${state.installedAs}`);
  },
};
