import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { Logger } from '../../src/system/log.js';
import { patienceOf, type MonitorConfig } from './config.js';
import { failoverVerdict, fenceVerdict, shouldConsult, type OwnNetwork, type WitnessView } from './decide.js';
import { fireEvent, type HaEvent } from './events.js';
import { fenceNode } from './fence-node.js';
import { readHold } from './hold.js';
import { defaultGateway, httpGet, lookAtAgent, PeerDatabase, pingOnce, type AgentLook } from './observe.js';

/** A WAL position `X/Y` as a number, to compare two. */
const lsnValue = (lsn: string): bigint => {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi ?? '0'}`) << 32n) + BigInt(`0x${lo ?? '0'}`);
};

/** A standby that has not streamed (or not seen its primary) this long raises the replication alarm. */
const REPLICATION_ALARM_MS = 5000;
/** After a failed automatic promote, the next try waits this long. */
const PROMOTE_RETRY_MS = 10_000;

/**
 * `ha-install monitor CONFIG`: the failover monitor, the same service on both database nodes;
 * what it does follows the node's live role (its agent says it). On the standby it watches the
 * primary and promotes, through the same promote flow as the manual command, when decide.ts
 * says so; on the primary it watches the standby and the witness, fences itself when it sees
 * neither (fence-node.ts), and raises the events AMM names. It never acts on a fenced node,
 * nor while a hold (hold.ts) says ha-install itself is changing the pair.
 *
 * Two speeds of looking. The fast looks (the peer's PostgreSQL, the witness, the standby) give
 * up after `checkTimeout`, so a dead or cut-off peer is noticed within the timings' order. The
 * agents are given the agent's own time (`patienceOf`: it answers within agent.timeout-ms, 503
 * when PostgreSQL is slower), as HAProxy gives them: a master that is slow but answers, and so
 * still gets clients, is seen, and not failed over. The standby's look at the primary's agent
 * runs beside the turns, never holding them up.
 */

type Promote = (why: string) => Promise<void>;

export interface MonitorHooks {
  say: (line: string) => void;
  /** The promote flow (src/flows/promote.ts, run in this process); tests may count its calls. */
  promote: Promote;
}

interface Watch {
  primarySeen: number;
  failures: number;
  standbySeen: number;
  witnessSeen: number;
  networkSeen: number;
  consulted: string;
  standbyOffline: boolean;
  notStreamingSince?: number;
  replicationAlarm: boolean;
  promoteAgainAt: number;
  /** The primary has seen its standby since it became primary: only then can it lose it. */
  armed: boolean;
  /** The peer's agent said it holds the monitors (a switchover there). */
  peerHold?: string;
  /** What the last look at the primary's agent got, for the record. */
  agentSaid?: string;
  /** The peer is alive and a standby too (a switchover that stopped half-way): its replay position. */
  peerStandby?: { lsn?: string };
}

const fresh = (at: number): Watch => ({ primarySeen: at, failures: 0, standbySeen: at, witnessSeen: at, networkSeen: at, consulted: '', standbyOffline: false, replicationAlarm: false, promoteAgainAt: 0, armed: false });

export async function runMonitor(configPath: string, hooks: MonitorHooks): Promise<() => Promise<void>> {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as MonitorConfig;
  const { timings } = config;
  const patience = patienceOf(config);
  const ref = { version: config.version, name: config.name };
  const log = new Logger(undefined);
  const peerDb = new PeerDatabase(config);
  const events = { script: config.events.script, timeoutSeconds: config.events.timeoutSeconds, stateDir: config.stateDir };
  const raise = (event: HaEvent) => void fireEvent(events, event, log).done;
  const gateway = config.pingGateway === false ? undefined : await defaultGateway();
  const targets = [...(gateway ? [gateway] : []), ...config.pingTargets];
  let s = fresh(Date.now());
  let running = true;

  const network = async (): Promise<OwnNetwork> => {
    if (targets.length === 0) return 'nothing to ask';
    const answered = await Promise.all(targets.map((t) => pingOnce(t, timings.checkTimeoutMs, config.self)));
    return answered.some(Boolean) ? 'answers' : 'silent';
  };
  // The witness saw the node recently enough: within two of its looks, each given the agent's time.
  const freshMs = timings.intervalMs + patience;
  /** What the witness says it saw of `node` as a reachable primary; never a guess when it has not looked yet. */
  const witnessSees = async (node: string): Promise<WitnessView> => {
    if (!config.witness) return 'none configured';
    const got = await httpGet(config.witness.host, config.witness.port, `/view?node=${encodeURIComponent(node)}`, timings.checkTimeoutMs, config.self);
    if (!got || got.status !== 200) return 'unreachable';
    const ago = got.body.agoMs;
    return typeof ago === 'number' && ago < freshMs ? 'sees the primary' : 'does not see the primary';
  };

  // The standby's patient look at the primary's agent, beside the turns: its answer counts when it comes.
  let agentLook: Promise<void> | undefined;
  const lookAtPrimaryAgent = () => {
    agentLook ??= lookAtAgent(config.peer.host, config.peer.agentPort, '/primary', patience, config.self)
      .then((look) => {
        if (look.status === 200) [s.primarySeen, s.failures, s.consulted] = [Date.now(), 0, ''];
        s.agentSaid = look.answered ? `answers ${look.status}` : 'does not answer';
        s.peerStandby = look.answered && look.role === 'replica' && look.running ? { lsn: look.lsn } : undefined;
        s.peerHold = look.hold;
        if (look.hold) s.primarySeen = Date.now(); // a switchover there: what is unseen now says nothing
      })
      .finally(() => (agentLook = undefined));
  };

  const standbyTurn = async (self: AgentLook) => {
    lookAtPrimaryAgent();
    const db = await peerDb.answers(timings.checkTimeoutMs);
    const now = Date.now();
    const answers = db.ok && db.standby === false;
    if (answers) [s.primarySeen, s.failures, s.consulted] = [now, 0, ''];
    // Replication that stops is an alarm whether or not the primary is seen (a cut between the
    // two nodes alone: no failover, and no replication either).
    replicationAlarm(self, now);
    if (answers) return;
    s.failures++;
    if (s.peerHold || !shouldConsult({ now, lastSeen: s.primarySeen, failuresInARow: s.failures }, timings)) return;
    const [witness, own, pings] = await Promise.all([witnessSees(config.peer.host), network(), pingOnce(config.peer.host, timings.checkTimeoutMs, config.self)]);
    if (Date.now() - s.primarySeen < timings.failoverAfterMs) return; // the agent answered meanwhile
    const seen = `${db.problem ?? 'it answers as a standby'}; its agent ${s.agentSaid ?? 'not asked yet'}; the host ${pings ? 'answers' : 'does not answer'} ping`;
    const verdict = failoverVerdict(witness, own);
    if (!verdict.promote) {
      if (s.consulted !== verdict.why) hooks.say(`the primary ${config.peer.host} is not seen (${seen}), but no failover: ${verdict.why}`);
      s.consulted = verdict.why;
      return;
    }
    if (now < s.promoteAgainAt) return;
    // Two standbys and no primary: exactly one may promote, the one further ahead (the same
    // position: the lower address), and the other then follows it. Both deciding alike is the
    // point: neither asks the other.
    if (s.peerStandby) {
      const mine = self.lsn ? lsnValue(self.lsn) : -1n;
      const theirs = s.peerStandby.lsn ? lsnValue(s.peerStandby.lsn) : -1n;
      const wins = mine > theirs || (mine === theirs && config.self < config.peer.host);
      if (!wins) {
        if (s.consulted !== 'the peer goes first') hooks.say(`no primary, and ${config.peer.host} is a standby further ahead (or as far, with the lower address): it promotes, this node follows`);
        s.consulted = 'the peer goes first';
        return;
      }
    }
    const why = `${config.peer.host} not seen for ${((now - s.primarySeen) / 1000).toFixed(1)} s (${seen}); ${verdict.why}`;
    hooks.say(`automatic failover: ${why}`);
    try {
      await hooks.promote(why);
      raise({ name: 'Failover', args: [config.self, config.peer.host] });
    } catch (error) {
      // Said once per try, tried again after a pause: a promote that fails at once must not spin.
      s.promoteAgainAt = Date.now() + PROMOTE_RETRY_MS;
      raise({ name: 'RaiseAlarm', args: ['failover', `the automatic promote of ${config.self} failed (tried again in ${PROMOTE_RETRY_MS / 1000} s): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`] });
    }
    await peerDb.drop();
  };

  /** On a standby: not streaming, or not seeing its primary, for 5 s is an alarm; streaming from a seen primary clears it. */
  const replicationAlarm = (self: AgentLook, now: number) => {
    const streaming = self.replication === 'streaming' && now - s.primarySeen < REPLICATION_ALARM_MS;
    if (streaming) s.notStreamingSince = undefined;
    else s.notStreamingSince ??= self.replication === 'streaming' ? s.primarySeen : now;
    const broken = s.notStreamingSince !== undefined && now - s.notStreamingSince >= REPLICATION_ALARM_MS;
    if (broken && !s.replicationAlarm) {
      const what = self.replication === 'streaming' ? `has not seen ${config.peer.host} for ${REPLICATION_ALARM_MS / 1000} s` : `does not stream from ${config.peer.host} (walreceiver: ${self.replication ?? 'none'}) for ${REPLICATION_ALARM_MS / 1000} s`;
      raise({ name: 'RaiseAlarm', args: ['replication', `the standby ${config.self} ${what}`] });
      s.replicationAlarm = true;
    } else if (streaming && s.replicationAlarm) {
      raise({ name: 'ClearAlarm', args: [`the standby ${config.self} streams from ${config.peer.host} again`] });
      s.replicationAlarm = false;
    }
  };

  const primaryTurn = async (self: AgentLook) => {
    const [standby, witness, own] = await Promise.all([
      lookAtAgent(config.peer.host, config.peer.agentPort, '/health', timings.checkTimeoutMs, config.self),
      // The witness counts only when it sees this node as the reachable primary, not merely answers:
      // the same question the standby asks it, so the two sides never judge by different tests.
      witnessSees(config.self),
      config.witness ? Promise.resolve<OwnNetwork>('nothing to ask') : network(),
    ]);
    const now = Date.now();
    if (standby.answered) [s.standbySeen, s.armed] = [now, true];
    if (witness === 'sees the primary') s.witnessSeen = now;
    if (own === 'answers') s.networkSeen = now;
    // A peer that is a primary on a newer timeline was promoted past this node (a stall that
    // outlasted the window, a partition that healed): this one steps down at once.
    const promoted =
      standby.answered && standby.role === 'primary' && standby.running && standby.timeline !== undefined && self.timeline !== undefined && standby.timeline > self.timeline
        ? `timeline ${standby.timeline}, this node's ${self.timeline}`
        : undefined;
    // A primary that has not seen its standby since it became primary (a master installed
    // before its slave, a monitor restarted) has no pair to lose yet: it neither fences nor
    // raises StandbyOffline until the standby has answered once. Its start guard asked the
    // peer before PostgreSQL started; a restart while cut off is a gap (README).
    if ((!s.armed && !promoted) || standby.hold) return;
    const verdict = fenceVerdict(
      { now, standbyLastSeen: s.standbySeen, witnessLastSeen: config.witness ? s.witnessSeen : undefined, networkLastSeen: !config.witness && targets.length > 0 ? s.networkSeen : undefined, peerPromoted: promoted },
      timings,
    );
    if (verdict.fence) {
      await fenceNode(config, verdict.why!, log, hooks.say);
      raise({ name: 'RaiseAlarm', args: ['fenced', `${config.self} fenced itself: ${verdict.why!}`] });
      return;
    }
    const offline = now - s.standbySeen >= timings.fenceAfterMs;
    if (offline !== s.standbyOffline) {
      if (offline) raise({ name: 'StandbyOffline', args: [config.peer.host, config.self] });
      else raise({ name: 'ClearAlarm', args: [`the standby ${config.peer.host} is back`] });
      s.standbyOffline = offline;
    }
  };

  const loop = async () => {
    let role: string | undefined;
    /** The last role that was one (primary or replica): a moment of "not running" is none. */
    let lastRole: string | undefined;
    let held: string | undefined;
    while (running) {
      const turnStarted = Date.now();
      try {
        // From this node's own address too: where a route gives another source (the demo's loopback
        // pair does), a cut between the nodes must not look like this node's own agent gone.
        const self = await lookAtAgent(config.agent.host, config.agent.port, '/health', patience, config.self);
        const now = self.answered && self.running ? `${self.role}${self.fenced ? ' fenced' : ''}` : 'not running';
        if (now !== role) {
          hooks.say(`this node is ${now}${role ? ` (was ${role})` : ''}`);
          // A new role starts with a clean slate: what was unseen before says nothing now. A
          // moment of "not running" (PostgreSQL restarting, one slow look) is no new role: the
          // primary keeps what it knew of its pair (armed stays armed), only the clocks restart.
          const real = now === 'not running' ? undefined : now.replace(' fenced', '');
          if (real !== undefined && lastRole !== undefined && real !== lastRole) s = fresh(turnStarted);
          else if (real !== undefined) Object.assign(s, { primarySeen: turnStarted, standbySeen: turnStarted, witnessSeen: turnStarted, networkSeen: turnStarted, failures: 0, consulted: '' });
          if (real !== undefined) lastRole = real;
          role = now;
        }
        const hold = readHold(ref)?.reason;
        if (hold !== held) hooks.say(hold ? `held: ${hold}; no failover and no fence until it is released` : 'the hold is released');
        held = hold;
        if (hold) Object.assign(s, { primarySeen: Date.now(), standbySeen: Date.now(), witnessSeen: Date.now(), networkSeen: Date.now(), failures: 0, consulted: '' });
        else if (self.answered && self.running && !self.fenced) {
          if (self.role === 'replica') await standbyTurn(self);
          else if (self.role === 'primary') await primaryTurn(self);
        }
      } catch (error) {
        hooks.say(`a look failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      await delay(Math.max(0, timings.intervalMs - (Date.now() - turnStarted)));
    }
  };
  hooks.say(`watching ${config.cluster} on ${config.self}: peer ${config.peer.host}, witness ${config.witness ? `${config.witness.host}:${config.witness.port}` : 'none'}, ping targets ${targets.join(', ') || 'none'}; every ${timings.intervalMs} ms, failover after ${timings.failoverAfterMs} ms, fence after ${timings.fenceAfterMs} ms`);
  const done = loop();
  return async () => {
    running = false;
    await done;
    await agentLook;
    await peerDb.drop();
  };
}
