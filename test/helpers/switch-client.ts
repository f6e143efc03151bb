import { execa, type ResultPromise } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { root } from './cli.js';
import type { DemoEnv } from './demo.js';

/** The numbered-rows client (write-client.ts) against a demo pair, and what it acknowledged. */
export class WriteClient {
  readonly ackFile: string;
  readonly run = `run-${Date.now()}`;
  private child?: ResultPromise;

  constructor(private readonly env: DemoEnv) {
    this.ackFile = join(env.root, `acks-${this.run}`);
  }

  /** The table it writes, on the master; the replication role may write it (the grant replicates). */
  static async prepare(env: DemoEnv): Promise<void> {
    await env.psql('master', 'CREATE TABLE IF NOT EXISTS sw_rows (run text, n bigint, at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (run, n)); GRANT SELECT, INSERT ON sw_rows TO replicator');
  }

  async start(): Promise<void> {
    this.child = execa('node', ['--import', 'tsx', join(root, 'test', 'helpers', 'write-client.ts')], {
      cwd: root,
      reject: false,
      env: { RUN: this.run, HOSTS: '127.0.0.11,127.0.0.12', PORT: String(this.env.names.port), PGUSER: 'replicator', PGPASSWORD: this.env.password(), ACK_FILE: this.ackFile },
    });
    const deadline = Date.now() + 20_000;
    while (this.acked().length < 20 && Date.now() < deadline) await delay(50);
    if (this.acked().length < 20) throw new Error(`the write client did not get going: ${String((await this.stop()).errors)}`);
  }

  acked(): number[] {
    return existsSync(this.ackFile) ? readFileSync(this.ackFile, 'utf8').split('\n').filter(Boolean).map((line) => Number(line.split(' ')[0])) : [];
  }

  async stop(): Promise<{ acked: number; maxPauseMs: number; errors: number }> {
    if (!this.child) return { acked: 0, maxPauseMs: 0, errors: 0 };
    this.child.kill('SIGTERM');
    const result = await this.child;
    this.child = undefined;
    return JSON.parse(String(result.stdout).trim().split('\n').at(-1) || '{"acked":0,"maxPauseMs":0,"errors":0}');
  }

  /** Acknowledged numbers that `node` does not hold. */
  async lost(node: 'master' | 'slave'): Promise<number[]> {
    const have = new Set((await this.env.psql(node, `SELECT n FROM sw_rows WHERE run = '${this.run}'`)).out.split('\n').filter(Boolean).map(Number));
    return this.acked().filter((n) => !have.has(n));
  }
}

/** By its path: under npm, node_modules/.bin/nft (ava's file tracer) comes first on PATH. */
const NFT = '/usr/sbin/nft';

/** Packets between the two demo addresses dropped both ways, in a nftables table of the test's own (inside the suite's namespace). */
export async function cutNetwork(): Promise<void> {
  const rules = ['add table inet ha_t10_cut', 'add chain inet ha_t10_cut input { type filter hook input priority 0 ; }', 'add rule inet ha_t10_cut input ip saddr 127.0.0.12 ip daddr 127.0.0.11 drop', 'add rule inet ha_t10_cut input ip saddr 127.0.0.11 ip daddr 127.0.0.12 drop'];
  await execa(NFT, ['-f', '-'], { input: rules.join('\n') + '\n' });
}

export async function healNetwork(): Promise<void> {
  await execa(NFT, ['delete', 'table', 'inet', 'ha_t10_cut'], { reject: false });
}
