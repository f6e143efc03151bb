/**
 * The failover monitor's decisions, as pure functions of what it saw and when (the loop in
 * monitor.ts does the looking). Two database servers alone cannot tell "the master is dead"
 * from "I cannot see the master": the balancer is the third vantage point, the witness.
 *
 * On the standby: the primary is failed over only when it has not been seen for
 * `failoverAfterMs` (and `failures` checks in a row failed), the witness can be asked and does
 * not see it either, and this node's own network answers (the gateway or a ping target, as
 * AMM's HAPingMonitor). On the primary: it fences itself when it has seen neither its standby
 * nor the witness for `fenceAfterMs` — before the standby may promote, by the timings' order
 * (settings.ts proves `failoverAfterMs` leaves room for the fence) — and at once when it finds
 * its peer promoted (a stall outlasted the window, the partition healed).
 */

export interface Timings {
  /** How often each node looks. */
  intervalMs: number;
  /** How long one look may take. */
  checkTimeoutMs: number;
  /** Failed looks in a row before the standby considers a failover. */
  failures: number;
  /** The primary unseen at least this long before the standby may promote. */
  failoverAfterMs: number;
  /** The primary fences itself after seeing neither its standby nor the witness this long. */
  fenceAfterMs: number;
}

/** What the standby knows of the primary. */
export interface PrimaryWatch {
  now: number;
  lastSeen: number;
  failuresInARow: number;
}

/** Whether it is time to ask the witness and check this node's own network. */
export function shouldConsult(watch: PrimaryWatch, timings: Timings): boolean {
  return watch.failuresInARow >= timings.failures && watch.now - watch.lastSeen >= timings.failoverAfterMs;
}

/** The witness's answer about the primary, or why there is none. */
export type WitnessView = 'sees the primary' | 'does not see the primary' | 'unreachable' | 'none configured';
/** This node's own network: a gateway or ping target answered, none did, or none to ask. */
export type OwnNetwork = 'answers' | 'silent' | 'nothing to ask';

export interface FailoverVerdict {
  promote: boolean;
  why: string;
}

export function failoverVerdict(witness: WitnessView, network: OwnNetwork): FailoverVerdict {
  if (witness === 'sees the primary') return { promote: false, why: 'the witness sees the primary: the fault is between this node and it, not the primary' };
  if (witness === 'unreachable') return { promote: false, why: 'the witness does not answer either: this node may be the one cut off' };
  if (network === 'silent') return { promote: false, why: 'neither the gateway nor any ping target answers: this node\'s own network is down' };
  if (witness === 'does not see the primary') return { promote: true, why: `the witness does not see the primary either${network === 'answers' ? ', and this node\'s network answers' : ''}` };
  return network === 'answers'
    ? { promote: true, why: 'no witness: the gateway or a ping target answers, the only guard there is' }
    : { promote: true, why: 'no witness and nothing to ping: nothing guards against this node being the one cut off' };
}

/** What the primary knows of the others. */
export interface PeersWatch {
  now: number;
  standbyLastSeen: number;
  /** Undefined when no witness is configured (then the ping targets stand in for it). */
  witnessLastSeen?: number;
  /** The gateway or a ping target answered at this time (the guard without a witness). */
  networkLastSeen?: number;
  /** The peer answers as a primary of this pair on a newer timeline: it was promoted past this node. */
  peerPromoted?: string;
}

export interface FenceVerdict {
  fence: boolean;
  why?: string;
}

export function fenceVerdict(watch: PeersWatch, timings: Timings): FenceVerdict {
  if (watch.peerPromoted) return { fence: true, why: `the peer is a primary too (${watch.peerPromoted}): this one steps down at once` };
  const unseen = (at: number | undefined) => at === undefined || watch.now - at >= timings.fenceAfterMs;
  const others = watch.witnessLastSeen !== undefined ? watch.witnessLastSeen : watch.networkLastSeen;
  if (!unseen(watch.standbyLastSeen)) return { fence: false };
  // With no witness and nothing to ping there is no way to tell "the standby is gone" from "I
  // am cut off": the primary stays (the install says plainly that nothing guards this pair).
  if (others === undefined || !unseen(others)) return { fence: false };
  const seconds = (timings.fenceAfterMs / 1000).toFixed(1);
  return { fence: true, why: `neither the standby nor ${watch.witnessLastSeen !== undefined ? 'the witness' : 'the gateway or a ping target'} seen for ${seconds} s: this node may be the one cut off, and its standby may be promoted` };
}
