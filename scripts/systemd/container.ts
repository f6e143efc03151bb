import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CACHE } from './rootfs.js';

/**
 * One booted Debian 12 with systemd as PID 1, for the systemd cases.
 *
 * The cached root filesystem is the read-only lower layer of an overlay; what the run changes
 * goes to `runs/<pid>/upper`, so it survives a power-off and boot (the reboot case) and is
 * removed with the run. The overlay is mounted in a private mount namespace that holds only
 * systemd-nspawn: it is never visible on the host, and it is gone when nspawn ends. nspawn
 * gets SIGKILL when this process dies (setpriv --pdeathsig), and the container with it, so
 * even a killed run leaves nothing running or mounted. `--private-network`: the container has
 * its own loopback and no route anywhere, so every test packet stays inside it.
 */

export const RUNS = join(CACHE, 'runs');
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const alive = (pid: number): boolean => existsSync(`/proc/${pid}`);

/** A /proc file's text, or '' when its process has just ended. */
function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Whether another run (another pid) is using a root filesystem now. */
export const otherRunsLive = (): boolean => existsSync(RUNS) && readdirSync(RUNS).some((e) => Number(e) !== process.pid && alive(Number(e)));

/** Removes what killed runs left (their containers died with them). */
export function sweepRuns(): void {
  if (!existsSync(RUNS)) return;
  for (const entry of readdirSync(RUNS)) if (!alive(Number(entry))) rmSync(join(RUNS, entry), { recursive: true, force: true });
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const BOOT = 'exec >"$6" 2>&1; mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$4" && exec systemd-nspawn --quiet --register=no --keep-unit --private-network --console=read-only --machine="$5" -b -D "$4"';

/** nspawn over the overlay, in a mount namespace of its own, killed when we die, its console to a file. */
function startNspawn(args: string[]) {
  // A session of its own: a Ctrl-C on the terminal reaches only us, and we power the container off.
  return execa('setpriv', ['--pdeathsig', 'KILL', '--', 'unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', BOOT, 'sh', ...args], {
    stdin: 'ignore', stdout: 'ignore', stderr: 'ignore', detached: true, reject: false,
  });
}

export class Container {
  readonly runDir = join(RUNS, String(process.pid));
  readonly upper = join(this.runDir, 'upper');
  private nspawn: ReturnType<typeof startNspawn> | undefined;
  private pid1: number | undefined;
  private boots = 0;

  constructor(readonly lower: string) {
    mkdirSync(this.runDir, { recursive: true, mode: 0o700 });
    // The upper layer's root is the container's `/`: 0755, or no user but root can look up a path.
    for (const dir of ['upper', 'work', 'merged']) mkdirSync(join(this.runDir, dir), { mode: 0o755 });
  }

  /** The container's systemd (PID 1 inside), for nsenter. */
  get pid(): number | undefined {
    return this.pid1;
  }

  get running(): boolean {
    return this.pid1 !== undefined && alive(this.pid1);
  }

  private get consoleLog(): string {
    return join(this.runDir, `console-${this.boots}.log`);
  }

  /** Boots and waits until `systemctl is-system-running` says running; throws with the console's tail otherwise. */
  async boot(timeoutMs = 90_000): Promise<void> {
    this.boots++;
    const [upper, work, merged] = ['upper', 'work', 'merged'].map((d) => join(this.runDir, d));
    this.nspawn = startNspawn([this.lower, upper!, work!, merged!, `ha-sd-${process.pid}`, this.consoleLog]);
    const deadline = Date.now() + timeoutMs;
    this.pid1 = await this.waitForPid1(deadline);
    let state = '';
    while (Date.now() < deadline && this.running) {
      // Refused until PID 1 listens on its socket; then it waits for the boot to end.
      const r = await this.exec(['systemctl', 'is-system-running', '--wait'], { timeoutMs: Math.max(1000, deadline - Date.now()) });
      state = r.stdout.trim();
      if (['running', 'degraded', 'maintenance', 'stopping'].includes(state)) break;
      await delay(100);
    }
    if (state !== 'running') {
      const failed = this.running ? (await this.exec(['systemctl', '--failed', '--no-legend', '--plain'])).stdout.trim() : '';
      throw new Error(`the container did not boot: systemctl is-system-running says "${state || 'nothing'}"${failed ? `; failed units:\n${failed}` : ''}\n${this.consoleTail()}`);
    }
  }

  private async waitForPid1(deadline: number): Promise<number> {
    const nspawnPid = this.nspawn?.pid;
    while (Date.now() < deadline && nspawnPid !== undefined && alive(nspawnPid)) {
      for (const child of readOr(`/proc/${nspawnPid}/task/${nspawnPid}/children`).split(/\s+/).filter(Boolean)) {
        if (readOr(`/proc/${child}/comm`) === 'systemd') return Number(child);
      }
      await delay(20);
    }
    throw new Error(`systemd-nspawn ${nspawnPid !== undefined && alive(nspawnPid) ? 'started no systemd in time' : 'exited'}\n${this.consoleTail()}`);
  }

  consoleTail(lines = 15): string {
    const text = existsSync(this.consoleLog) ? readFileSync(this.consoleLog, 'utf8') : '';
    return `console (${this.consoleLog}):\n${text.trim().split('\n').slice(-lines).join('\n')}`;
  }

  /**
   * Runs argv inside the container (all its namespaces, a clean environment); never throws on
   * a non-zero exit. The time limit is enforced inside (coreutils timeout: exit 124), since
   * killing nsenter would leave its child running; nsenter itself dies with us.
   */
  async exec(argv: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
    if (this.pid1 === undefined) throw new Error('the container is not booted');
    const limit = String(Math.ceil((options.timeoutMs ?? 180_000) / 1000));
    const inside = ['env', '-i', `PATH=${PATH}`, 'HOME=/root', 'LANG=C.UTF-8', 'TERM=dumb', 'timeout', '--kill-after=5', limit, ...argv];
    const r = await execa('setpriv', ['--pdeathsig', 'KILL', '--', 'nsenter', '--target', String(this.pid1), '--all', '--root', '--wd', '--', ...inside], {
      reject: false, input: options.input, stdin: options.input === undefined ? 'ignore' : 'pipe',
    });
    const timedOut = r.exitCode === 124 ? `\n(timed out after ${limit} s)` : '';
    return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) + timedOut };
  }

  /** Like exec, but a non-zero exit throws with the command's output. */
  async sh(script: string, input?: string): Promise<string> {
    const r = await this.exec(['sh', '-ec', script], { input });
    if (r.exitCode !== 0) throw new Error(`inside the container, \`${script}\` exited with ${r.exitCode}:\n${(r.stdout + r.stderr).trim()}`);
    return r.stdout.trim();
  }

  /** `systemctl poweroff`, then waits for nspawn to end; kills it after `timeoutMs`. */
  async poweroff(timeoutMs = 60_000): Promise<void> {
    if (!this.nspawn) return; // never booted, or already off
    if (this.running) await this.exec(['systemctl', 'poweroff'], { timeoutMs: 10_000 });
    const ended = await Promise.race([this.nspawn?.then(() => true), delay(timeoutMs, false, { ref: false })]);
    if (!ended) this.kill();
    await this.nspawn;
    this.nspawn = undefined;
    this.pid1 = undefined;
    if (!ended) throw new Error(`the container did not power off within ${timeoutMs / 1000} s (killed)`);
  }

  /** SIGKILL to nspawn: the container's PID 1 dies with it, and so does everything inside. */
  kill(): void {
    this.nspawn?.kill('SIGKILL');
  }

  /** Kills what is left and removes the run's layer. */
  async dispose(): Promise<void> {
    if (this.nspawn) {
      this.kill();
      await this.nspawn;
    }
    rmSync(this.runDir, { recursive: true, force: true });
  }
}
