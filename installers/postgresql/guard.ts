import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { peerAbsent, readPeer } from './live.js';
import { passwordFor } from './pgpass.js';
import { readControlData } from './control-data.js';
import { fenceMark, readStandbySignal } from './standby-signal.js';

/** What the start guard knows, written by the install next to the cluster's configuration (no secret in it). */
export interface GuardConfig {
  cluster: string;
  dataDir: string;
  binDir: string;
  self: string;
  peer: { host: string; port: number };
  user: string;
  passfile: string;
  connectTimeoutMs: number;
  /** How long to wait for a peer that answers "the database system is starting up". */
  startingWaitSeconds: number;
  /** The command that brings a fenced node back, as it works when pasted (this build's runtime). */
  restore: string;
}

export type GuardVerdict =
  | { start: 'as it is'; why: string }
  | { start: 'fenced'; why: string };

/**
 * The decision, before PostgreSQL starts. A node with a standby.signal starts as it is (a
 * standby never takes a write). A node about to start as a primary asks its peer first: if
 * the peer is itself a primary of the same pair (it was promoted while this node was down),
 * this node is fenced: standby.signal is written, so it comes up read-only, and says why. A
 * peer that does not answer may be the dead one: start (the failover issue adds fencing for a
 * master cut off alive).
 */
export async function decide(config: GuardConfig): Promise<GuardVerdict> {
  const signal = readStandbySignal(config.dataDir);
  if (signal !== undefined) return { start: 'as it is', why: signal.fenced ? `still fenced: ${signal.reason}` : 'standby.signal: starting as a standby' };
  const local = readControlData(config.binDir, config.dataDir);
  const password = passwordFor(config.peer.host, config.peer.port, config.user, config.passfile) ?? '';
  const login = { host: config.peer.host, port: config.peer.port, user: config.user, password, timeoutMs: config.connectTimeoutMs };
  const peer = await readPeer(login, { startingWaitSeconds: config.startingWaitSeconds });
  const where = `${config.peer.host}:${config.peer.port}`;
  if (peerAbsent(peer)) return { start: 'as it is', why: `the peer ${where} does not answer (${peer.failure}): starting as the primary` };
  // A peer that refuses our login is no member of this pair: a pair member takes it (its pg_hba
  // and role come from the same install). Only a primary we can see fences this node.
  if (!peer.answered) return { start: 'as it is', why: `the peer ${where} answers but not to ${config.user} (${peer.problem}): not a member of this pair as it is now; starting as the primary` };
  if (peer.role === 'standby') return { start: 'as it is', why: `the peer ${where} is a standby: starting as the primary` };
  if (local.systemId !== undefined && peer.systemId !== local.systemId) {
    return { start: 'as it is', why: `the peer ${where} is a primary of another database (system ${peer.systemId}, this one ${local.systemId}): not this pair's business` };
  }
  return {
    start: 'fenced',
    why: `the peer ${where} is the primary now (timeline ${peer.timeline}; this node's last timeline is ${local.timeline ?? '?'}): writes here would be lost or split the data`,
  };
}

/** `ha-install guard CONFIG`: what the wrapper runs as postgres. Prints to the server log; exit 0 unless it could not decide. */
export async function guardCommand(configPath: string, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<void> {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as GuardConfig;
  const verdict = await decide(config);
  if (verdict.start === 'fenced') {
    const restore = config.restore;
    if (!existsSync(`${config.dataDir}/standby.signal`)) writeFileSync(`${config.dataDir}/standby.signal`, fenceMark(verdict.why, restore), { mode: 0o600 });
    write(`ha-install guard (${config.cluster}): FENCED, starting as a read-only standby: ${verdict.why}.`);
    write(`ha-install guard (${config.cluster}): to bring this node back as the standby of ${config.peer.host}, run as root: ${restore}`);
    return;
  }
  write(`ha-install guard (${config.cluster}): ${verdict.why}.`);
}
