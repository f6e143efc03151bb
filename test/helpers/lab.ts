import { execa, type Options, type ResultPromise } from 'execa';
import { existsSync } from 'node:fs';

/**
 * A lab for the failover drills: a network namespace of the test's own (`ip netns add`) where
 * the hosts are loopback aliases, 127.0.0.10 the balancer, .11 the master, .12 the slave, .13
 * an outsider; nothing routes out of it. Every command of the drill that opens a connection
 * runs inside it (`lab.run`), so a cut made with nftables (`lab.cut`) is real for all of them:
 * PostgreSQL, HAProxy, the agents, the monitors, the client. Files and Unix sockets are shared
 * with the host, so a test reads PostgreSQL over its socket from outside.
 */
/** By its path: under npm, node_modules/.bin/nft (ava's file tracer, not nftables) comes first on PATH. */
const NFT = '/usr/sbin/nft';

export class Lab {
  readonly name = `ha-lab-${process.pid}-${Date.now() % 100000}`;

  async open(addresses = ['127.0.0.10', '127.0.0.11', '127.0.0.12', '127.0.0.13']): Promise<void> {
    await Lab.clearStale();
    await execa('ip', ['netns', 'add', this.name]);
    const inside = ['ip link set lo up', ...addresses.map((a) => `ip addr add ${a}/32 dev lo`), `${NFT} add table inet lab`, `${NFT} add chain inet lab input '{ type filter hook input priority 0 ; }'`];
    await execa('ip', ['netns', 'exec', this.name, 'sh', '-c', inside.join(' && ')]);
  }

  /** Starts a command inside the lab. */
  run(argv: string[], options: Options = {}): ResultPromise {
    return execa('ip', ['netns', 'exec', this.name, ...argv], { reject: false, ...options });
  }

  /** Drops every packet from `from` to `to` (one way); `both` cuts the way back too. */
  async cut(from: string, to: string, { both = true } = {}): Promise<void> {
    const rules = [[from, to], ...(both ? [[to, from]] : [])];
    for (const [source, target] of rules) await this.nft(['add', 'rule', 'inet', 'lab', 'input', 'ip', 'saddr', source!, 'ip', 'daddr', target!, 'drop']);
  }

  /** Cuts `host` off from every other host of the lab. */
  async isolate(host: string, others: string[]): Promise<void> {
    for (const other of others) await this.cut(host, other);
  }

  /** Every cut undone: the partition heals. */
  async heal(): Promise<void> {
    await this.nft(['flush', 'chain', 'inet', 'lab', 'input']);
  }

  private async nft(args: string[]): Promise<void> {
    const result = await execa('ip', ['netns', 'exec', this.name, NFT, ...args], { reject: false });
    if (result.exitCode !== 0) throw new Error(`nft ${args.join(' ')}: ${result.stderr}`);
  }

  /** The labs of test processes that are gone (killed before their after hook): closed. */
  static async clearStale(): Promise<void> {
    const listed = await execa('ip', ['netns', 'list'], { reject: false });
    for (const [, name, pid] of String(listed.stdout).matchAll(/^(ha-lab-(\d+)-\d+)/gm)) {
      if (!existsSync(`/proc/${pid}`)) await closeLab(name!);
    }
  }

  /** Kills what still runs inside and removes the namespace. */
  async close(): Promise<void> {
    await closeLab(this.name);
  }
}

async function closeLab(name: string): Promise<void> {
  const listed = await execa('ip', ['netns', 'pids', name], { reject: false });
  for (const pid of String(listed.stdout).split(/\s+/).filter(Boolean).map(Number)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await execa('ip', ['netns', 'del', name], { reject: false });
}
