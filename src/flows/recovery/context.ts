import type { ClusterRef } from '../../../installers/postgresql/cluster.js';
import type { LocalView, PeerView } from '../../../installers/postgresql/live.js';
import type { FlowContext } from '../context.js';
import type { PairNode, PairState } from '../state.js';

/** What promote and restore-master learn before they plan: the pair from the state file, both nodes live. */
export interface RecoveryContext extends FlowContext {
  state?: PairState;
  ref?: ClusterRef;
  self?: PairNode;
  peer?: PairNode;
  local?: LocalView;
  remote?: PeerView;
}

/** The parts a step may rely on once the pair step has run. */
export type PairKnown = RecoveryContext & Required<Pick<RecoveryContext, 'state' | 'ref' | 'self' | 'peer'>>;

export function known(ctx: RecoveryContext): PairKnown {
  if (!ctx.state || !ctx.ref || !ctx.self || !ctx.peer) throw new Error('the pair step has not run');
  return ctx as PairKnown;
}
