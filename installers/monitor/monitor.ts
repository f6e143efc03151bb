import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { Logger } from '../../src/system/log.js';
import type { MonitorConfig } from './config.js';
import { failoverVerdict, fenceVerdict, shouldConsult, type OwnNetwork, type WitnessView } from './decide.js';
import { fireEvent, type HaEvent } from './events.js';
import { fenceNode } from './fence-node.js';
import { defaultGateway, httpGet, lookAtAgent, PeerDatabase, pingOnce, type AgentLook } from './observe.js';

/** A standby that has not streamed this long while its primary is there raises the replication alarm. */
const REPLICATION_ALARM_MS = 5000;
/** After a failed automatic promote, the next try waits this long. */
const PROMOTE_RETRY_MS = 10_000;

/**
 * `ha-install monitor CONFIG`: the failover monitor, the same service on both database nodes;
 * what it does follows the node's live role (its agent says it). On the standby it watches the
 * primary and promotes, through the same promote flow as the manual command, when decide.ts
 * says so; on the primary it watches the standby and the witness, fences itself when it sees
 * neither (fence-node.ts), and raises the events AMM names. It never acts on a fenced node.
 */

type Promote = (why: string) => Promise<void>;

export interface MonitorHooks {
  say: (line: string) => void;
  /** The promote flow (src/flows/promote.ts, run in this process); tests may count its calls. */
  promote: Promote;
}

export async function runMonitor(configPath: string, hooks: MonitorHooks): Promise<() => Promise<void>> {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as MonitorConfig;
  const { timings } = config;
  const log = new Logger(undefined);
  const peerDb = new PeerDatabase(config);
  const events = { script: config.events.script, timeoutSeconds: config.events.timeoutSeconds, stateDir: config.stateDir };
  const raise = (event: HaEvent) => void fireEvent(events, event, log).done;
  const gateway = await defaultGateway();
  const targets = [...(gateway ? [gateway] : []), ...config.pingTargets];
  const start = Date.now();
  const s: { primarySeen: number; failures: number; standbySeen: number; witnessSeen: number; networkSeen: number; consulted: string; standbyOffline: boolean; notStreamingSince?: number; replicationAlarm: boolean; promoteAgainAt: number; armed: boolean } = {
    primarySeen: start,
    failures: 0,
    standbySeen: start,
    witnessSeen: start,
    networkSeen: start,
    consulted: '',
    standbyOffline: false,
    replicationAlarm: false,
    promoteAgainAt: 0,
    armed: false,
  };
  let running = true;

  const network = async (): Promise<OwnNetwork> => {
    if (targets.length === 0) return 'nothing to ask';
    const answered = await Promise.all(targets.map((t) => pingOnce(t, timings.checkTimeoutMs, config.self)));
    return answered.some(Boolean) ? 'answers' : 'silent';
  };
  // The witness saw the primary recently enough that the fault is not the primary's: within two looks of its own.
  const freshMs = 2 * (timings.intervalMs + timings.checkTimeoutMs);
  const witnessView = async (): Promise<WitnessView> => {
    if (!config.witness) return 'none configured';
    const got = await httpGet(config.witness.host, config.witness.port, `/view?node=${encodeURIComponent(config.peer.host)}`, timings.checkTimeoutMs, config.self);
    if (!got || got.status !== 200) return 'unreachable';
    const ago = got.body.agoMs;
    return typeof ago === 'number' && ago < freshMs ? 'sees the primary' : 'does not see the primary';
  };

  const standbyTurn = async (self: AgentLook) => {
    const [db, agent] = await Promise.all([peerDb.answers(timings.checkTimeoutMs), lookAtAgent(config.peer.host, config.peer.agentPort, '/primary', timings.checkTimeoutMs, config.self)]);
    const now = Date.now();
    // Replication that stops streaming is an alarm whether or not the primary is seen (a cut
    // between the two nodes alone: no failover, and no replication either).
    replicationAlarm(self, now);
    if ((db.ok && db.standby === false) || agent.status === 200) {
      [s.primarySeen, s.failures, s.consulted] = [now, 0, ''];
      return;
    }
    s.failures++;
    if (!shouldConsult({ now, lastSeen: s.primarySeen, failuresInARow: s.failures }, timings)) return;
    const [witness, own, pings] = await Promise.all([witnessView(), network(), pingOnce(config.peer.host, timings.checkTimeoutMs, config.self)]);
    const seen = `${db.problem ?? 'it answers as a standby'}; its agent ${agent.answered ? `answers ${agent.status}` : 'does not answer'}; the host ${pings ? 'answers' : 'does not answer'} ping`;
    const verdict = failoverVerdict(witness, own);
    if (!verdict.promote) {
      if (s.consulted !== verdict.why) hooks.say(`the primary ${config.peer.host} is not seen (${seen}), but no failover: ${verdict.why}`);
      s.consulted = verdict.why;
      return;
    }
    if (now < s.promoteAgainAt) return;
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

  /** On a standby: replication that stops streaming for 5 s is an alarm, its return clears it. */
  const replicationAlarm = (self: AgentLook, now: number) => {
    const streaming = self.replication === 'streaming';
    if (streaming) s.notStreamingSince = undefined;
    else s.notStreamingSince ??= now;
    const broken = s.notStreamingSince !== undefined && now - s.notStreamingSince >= REPLICATION_ALARM_MS;
    if (broken && !s.replicationAlarm) {
      raise({ name: 'RaiseAlarm', args: ['replication', `the standby ${config.self} does not stream from ${config.peer.host} (walreceiver: ${self.replication ?? 'none'}) for ${REPLICATION_ALARM_MS / 1000} s`] });
      s.replicationAlarm = true;
    } else if (streaming && s.replicationAlarm) {
      raise({ name: 'ClearAlarm', args: [`the standby ${config.self} streams from ${config.peer.host} again`] });
      s.replicationAlarm = false;
    }
  };

  const primaryTurn = async (self: AgentLook) => {
    const [standby, witness, own] = await Promise.all([
      lookAtAgent(config.peer.host, config.peer.agentPort, '/health', timings.checkTimeoutMs, config.self),
      config.witness ? httpGet(config.witness.host, config.witness.port, '/ping', timings.checkTimeoutMs, config.self) : Promise.resolve(undefined),
      config.witness ? Promise.resolve<OwnNetwork>('nothing to ask') : network(),
    ]);
    const now = Date.now();
    if (standby.answered) [s.standbySeen, s.armed] = [now, true];
    if (witness?.status === 200) s.witnessSeen = now;
    if (own === 'answers') s.networkSeen = now;
    // A peer that is a primary on a newer timeline was promoted past this node (a stall that
    // outlasted the window, a partition that healed): this one steps down at once.
    const promoted =
      standby.answered && standby.role === 'primary' && standby.running && standby.timeline !== undefined && self.timeline !== undefined && standby.timeline > self.timeline
        ? `timeline ${standby.timeline}, this node's ${self.timeline}`
        : undefined;
    // A primary that has not seen its standby since it started (a master installed before its
    // slave, a monitor restarted) has no pair to lose yet: it neither fences nor raises
    // StandbyOffline until the standby has answered once. A restart while cut off is the
    // start guard's (it asks the peer before PostgreSQL starts), not this.
    if (!s.armed && !promoted) return;
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
    while (running) {
      const turnStarted = Date.now();
      try {
        // From this node's own address too: where a route gives another source (the demo's loopback
        // pair does), a cut between the nodes must not look like this node's own agent gone.
        const self = await lookAtAgent(config.agent.host, config.agent.port, '/health', timings.checkTimeoutMs, config.self);
        const now = self.answered && self.running ? `${self.role}${self.fenced ? ' fenced' : ''}` : 'not running';
        if (now !== role) {
          hooks.say(`this node is ${now}${role ? ` (was ${role})` : ''}`);
          // A new role starts with a clean slate: what was unseen before says nothing now.
          Object.assign(s, { primarySeen: turnStarted, failures: 0, standbySeen: turnStarted, witnessSeen: turnStarted, networkSeen: turnStarted, consulted: '', notStreamingSince: undefined, armed: false });
          role = now;
        }
        if (self.answered && self.running && !self.fenced) {
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
    await peerDb.drop();
  };
}
