import { execa } from 'execa';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * A real pseudo-terminal for the wizard: tmux runs the binary, send-keys types, capture-pane
 * reads the screen as a person sees it. Each Terminal has its own tmux server (socket).
 */
export class Terminal {
  private readonly socket = `ha-pty-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  private tmux(...args: string[]) {
    return execa('tmux', ['-L', this.socket, ...args]);
  }

  /**
   * Starts `command` as a person's terminal would: without the CI variables of the test run,
   * under which ink writes nothing until it exits (is-in-ci).
   */
  async start(command: string, size = { columns: 150, rows: 45 }): Promise<void> {
    await this.tmux('new-session', '-d', '-s', 'main', '-x', String(size.columns), '-y', String(size.rows), `env -u CI -u CONTINUOUS_INTEGRATION ${command}; sleep 30`);
  }

  async screen(): Promise<string> {
    return String((await this.tmux('capture-pane', '-p', '-S', '-1000', '-t', 'main')).stdout);
  }

  /**
   * The whole scrollback with the lines the terminal wrapped joined again (capture-pane -J), so
   * a line the program wrote wider than the terminal shows as one overlong line.
   */
  async joinedScreen(): Promise<string> {
    return String((await this.tmux('capture-pane', '-p', '-J', '-S', '-2000', '-t', 'main')).stdout);
  }

  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < until) {
      text = await this.screen();
      if (pattern.test(text)) return text;
      await delay(100);
    }
    throw new Error(`timed out waiting for ${pattern}; the screen was:\n${text}`);
  }

  /** Keys by tmux name (Enter, Down, BSpace, C-u) or `literal:text`. */
  async keys(...sequence: string[]): Promise<void> {
    for (const key of sequence) {
      await this.tmux('send-keys', '-t', 'main', ...(key.startsWith('literal:') ? ['-l', key.slice(8)] : [key]));
      await delay(60);
    }
  }

  async stop(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined);
  }
}

/** A shell command that runs `inner` in a private network namespace with these loopback aliases. */
export function inNetns(inner: string, netns: { addresses?: string[]; unreachable?: string[] }): string {
  const setup = [
    'ip link set lo up',
    ...(netns.addresses ?? []).map((a) => `ip addr add ${a}/32 dev lo`),
    ...(netns.unreachable ?? []).map((a) => `ip route add unreachable ${a}/32 table local`),
    `exec ${inner}`,
  ].join(' && ');
  return `unshare --net -- sh -c '${setup}'`;
}
