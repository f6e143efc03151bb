import { existsSync, readFileSync } from 'node:fs';
import type { CheckRow } from '../../src/prompts/prompter.js';
import { monitorConfigPath, patienceOf, type MonitorConfig } from '../monitor/config.js';
import { httpGet } from '../monitor/observe.js';
import type { Logger } from '../../src/system/log.js';
import type { ClusterRef } from './cluster.js';
import { readLocal, readPeer, type LocalView, type PeerView } from './live.js';
import { withPeer, type PeerLogin } from './remote.js';
import { literal, querySql } from './sql.js';
import { lsnBytes } from './timelines.js';

/**
 * What `switchover` proves before it changes anything: both nodes up, one primary and one
 * standby of the same system, the standby streaming from the primary and not further behind
 * than the limit, and the lever this node needs on its peer there (pg_promote when this node
 * is the master, the demote function when it is the standby).
 */
export interface SwitchoverFacts {
  local: LocalView;
  remote: PeerView;
  /** Which side this node is on now: the master (it promotes its peer) or the standby. */
  runOn?: 'master' | 'standby';
  /** The primary's WAL position minus the standby's replay position. */
  lagBytes?: bigint;
  streaming?: boolean;
  /** Why the lever on the peer cannot be used, or undefined when it can. */
  leverProblem?: string;
  /** What the balancer's witness says of the master, when this node's monitor knows one. */
  balancer?: { host: string; sees: boolean; said: string };
}

/**
 * The balancer, as its witness sees the master (the witness is where HAProxy is, and looks as
 * HAProxy does): fresh within an interval and an agent's time. No monitor here, no witness:
 * nothing to ask (HAProxy follows the agents all the same).
 */
/** `master`: the peer's address when the master is there; undefined: this node is the master. */
async function balancerView(ref: ClusterRef, peerMaster: string | undefined): Promise<SwitchoverFacts['balancer']> {
  const path = monitorConfigPath(ref);
  if (!existsSync(path)) return undefined;
  const config = JSON.parse(readFileSync(path, 'utf8')) as MonitorConfig;
  if (!config.witness) return undefined;
  const master = peerMaster ?? config.self;
  const { host, port } = config.witness;
  const got = await httpGet(host, port, `/view?node=${encodeURIComponent(master)}`, 2000, config.self);
  if (!got) return { host, sees: false, said: `its witness ${host}:${port} does not answer` };
  if (got.status !== 200) return { host, sees: false, said: `its witness answers ${got.status}: ${String(got.body.error ?? '')}` };
  const ago = got.body.agoMs;
  const sees = typeof ago === 'number' && ago < config.timings.intervalMs + patienceOf(config);
  return { host, sees, said: sees ? `sees the master ${master} as the primary (${ago} ms ago)` : `does not see the master ${master} as the primary (${ago === null ? 'never' : `${ago} ms ago`}; ${String(got.body.problem ?? got.body.role ?? '')})` };
}

const MB = 1024n * 1024n;
const mb = (bytes: bigint) => `${(Number(bytes) / 1024 / 1024).toFixed(1)} MB`;

/** Whether the peer may be asked what this node needs from it: the answer in words when not. */
async function leverOnPeer(login: PeerLogin, runOn: 'master' | 'standby'): Promise<string | undefined> {
  try {
    return await withPeer(login, async (client) => {
      if (runOn === 'master') {
        const row = (await client.query(`SELECT has_function_privilege(current_user, 'pg_catalog.pg_promote(boolean, integer)', 'EXECUTE') AS ok`)).rows[0] as { ok: boolean };
        return row.ok ? undefined : `${login.user} may not run pg_promote() there (an install older than switchover)`;
      }
      const exists = (await client.query(`SELECT to_regprocedure('ha_install.switchover_demote(boolean)') IS NOT NULL AS ok`)).rows[0] as { ok: boolean };
      if (!exists.ok) return 'it has no ha_install.switchover_demote (an install older than switchover)';
      await client.query('SELECT ha_install.switchover_demote(true)');
      return undefined;
    });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export async function readSwitchoverFacts(ref: ClusterRef, login: PeerLogin, log: Logger): Promise<SwitchoverFacts> {
  const [local, remote] = await Promise.all([readLocal(ref, log), readPeer(login, { startingWaitSeconds: 2 })]);
  const facts: SwitchoverFacts = { local, remote };
  if (!remote.answered) return facts;
  if (local.role === 'primary' && remote.role === 'standby') facts.runOn = 'master';
  if (local.role === 'standby' && remote.role === 'primary') facts.runOn = 'standby';
  if (!facts.runOn) return facts;
  if (facts.runOn === 'master') {
    const [row] = await querySql(local.cluster, `SELECT state FROM pg_stat_replication WHERE host(client_addr) = ${literal(login.host)} ORDER BY state = 'streaming' DESC LIMIT 1`, log);
    facts.streaming = row?.[0] === 'streaming';
  } else facts.streaming = local.receiver?.status === 'streaming' && local.receiver.host === login.host;
  const [primaryLsn, standbyLsn] = facts.runOn === 'master' ? [local.lsn, remote.lsn] : [remote.lsn, local.lsn];
  if (primaryLsn && standbyLsn) facts.lagBytes = lsnBytes(primaryLsn) > lsnBytes(standbyLsn) ? lsnBytes(primaryLsn) - lsnBytes(standbyLsn) : 0n;
  [facts.leverProblem, facts.balancer] = await Promise.all([leverOnPeer(login, facts.runOn), balancerView(ref, facts.runOn === 'master' ? undefined : login.host)]);
  return facts;
}

function nodeText(role: string, timeline?: number): string {
  return role === 'primary' || role === 'standby' ? `${role}, timeline ${timeline ?? '?'}` : role;
}

export function switchoverChecks(facts: SwitchoverFacts, input: { self: string; peer: string; port: number; maxLagMb: number; pgCtl: string }): CheckRow[] {
  const { local, remote } = facts;
  const peerName = `${input.peer}:${input.port}`;
  const rows: CheckRow[] = [];
  const up = local.role === 'primary' || local.role === 'standby';
  rows.push({
    name: `this node ${input.self}`,
    measured: nodeText(local.role, local.timeline),
    required: 'running, the primary or the standby of the pair',
    verdict: up ? 'ok' : 'fail',
    fix: up ? undefined : local.role === 'down' ? `start it first: ${input.pgCtl} start` : `the cluster ${local.cluster.version}/${local.cluster.name} does not exist here`,
  });
  const masterHere = local.role === 'primary';
  rows.push({
    name: `the peer ${peerName}`,
    field: 'network',
    measured: remote.answered ? nodeText(remote.role!, remote.timeline) : `does not answer (${remote.failure}: ${remote.problem})`,
    required: 'answers, and has the other role',
    verdict: facts.runOn ? 'ok' : 'fail',
    fix: facts.runOn
      ? undefined
      : !remote.answered
        ? masterHere || !up
          ? 'a switchover needs both nodes up and reachable: start the standby, or mend the network between the nodes'
          : 'the master does not answer: if it is dead, `ha-install promote` on this node is the command; if it is alive, mend the network first'
        : remote.role === local.role
          ? remote.role === 'primary'
            ? 'TWO PRIMARIES: bring the stale one back with restore-master first'
            : 'no primary: promote one of the two first'
          : undefined,
  });
  if (!facts.runOn) return rows;
  rows.push({
    name: 'system identifier',
    measured: `${local.systemId ?? '?'} here, ${remote.systemId ?? '?'} there`,
    required: 'the same on both (one is a clone of the other)',
    verdict: local.systemId === remote.systemId ? 'ok' : 'fail',
    fix: local.systemId === remote.systemId ? undefined : `${input.peer} holds another database: it is not this node's pair`,
  });
  const limit = BigInt(input.maxLagMb) * MB;
  const lag = facts.lagBytes;
  rows.push({
    name: 'replication',
    field: 'recovery.max-lag-mb',
    measured: `${facts.streaming ? 'streaming' : 'NOT streaming'}, the standby is ${lag === undefined ? '?' : mb(lag)} behind`,
    required: `streaming, at most ${input.maxLagMb} MB behind`,
    verdict: facts.streaming && lag !== undefined && lag <= limit ? 'ok' : 'fail',
    fix: !facts.streaming
      ? 'the standby does not stream from the master: see `ha-install status` and mend it (restore-master on the standby) first'
      : lag !== undefined && lag > limit
        ? `wait until the standby has caught up (ha-install status shows the lag), or raise recovery.max-lag-mb`
        : undefined,
  });
  rows.push({
    name: facts.runOn === 'master' ? 'promote on the standby' : 'demote on the master',
    measured: facts.leverProblem ?? `${facts.runOn === 'master' ? 'pg_promote' : 'ha_install.switchover_demote'} is there for the replication role`,
    required: facts.runOn === 'master' ? 'the replication role may promote its peer' : 'the master may be asked to step down',
    verdict: facts.leverProblem ? 'fail' : 'ok',
    fix: facts.leverProblem ? (/systemd/.test(facts.leverProblem) ? `run ha-install switchover on the master ${input.peer} instead` : 'run the master install again on the current master (it changes nothing in place and adds the switchover grants)') : undefined,
  });
  const lb = facts.balancer;
  rows.push(
    lb
      ? {
          name: `balancer ${lb.host}`,
          measured: lb.said,
          required: 'it sees the master now (HAProxy follows the agents to the new one)',
          verdict: lb.sees ? 'ok' : 'fail',
          fix: lb.sees ? undefined : `see \`ha-install status\` on ${lb.host}: a switchover would leave clients nowhere; mend the balancer (its HAProxy and witness) or the network to it first`,
        }
      : { name: 'balancer', measured: 'no witness known here to ask', required: 'HAProxy follows the health agents: it sends clients to the new primary within its next checks', verdict: 'info' },
  );
  return rows;
}
