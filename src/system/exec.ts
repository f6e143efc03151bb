import { execa, type ResultPromise } from 'execa';
import { ApplyError } from './errors.js';
import type { Logger } from './log.js';

export interface RunOptions {
  /** Run as this OS user (via runuser), e.g. `postgres`: initdb, pg_ctl and pg_basebackup refuse root. */
  user?: string;
  /** Written to the command's stdin; never logged (SQL carrying a password hash goes this way). */
  input?: string;
  env?: Record<string, string>;
  cwd?: string;
  /** Called with each chunk of stdout/stderr as it arrives, for progress bars. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Do not throw on a non-zero exit: the caller inspects exitCode. */
  reject?: boolean;
  timeoutMs?: number;
  /** A short description for the log and errors when argv alone would not say enough. */
  title?: string;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * What a child inherits from ha-install's environment: where programs are, language and time
 * zone, the terminal, home, proxies and apt's configuration. Nothing else: the environment
 * may hold the variable an `env:` secret was read from, or anything else the admin exported.
 */
const inherited = /^(PATH|LANG|LANGUAGE|LC_[A-Z_]+|TZ|TERM|HOME|APT_CONFIG|(http|https|ftp|all|no)_proxy|(HTTP|HTTPS|FTP|ALL|NO)_PROXY)$/;

/** The environment of a child: the whitelist above (minus any value that is a secret) plus what the call gives. */
export function childEnvironment(log: Logger, given: Record<string, string> = {}, from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value !== undefined && inherited.test(name) && !log.isSecret(value)) env[name] = value;
  }
  return { ...env, ...given };
}

/** Renders argv for the log; the logger scrubs registered secrets on top. */
export function describeCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
}

function tail(text: string, lines = 12): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * The one way ha-install runs a program. Logs the command (never stdin), streams its output to
 * the log, and turns a failure into an ApplyError carrying the command, exit code and the tail
 * of stderr. Secrets must never be in argv: pass them through `input`, a passfile or env.
 */
export async function run(argv: readonly string[], log: Logger, options: RunOptions = {}): Promise<RunResult> {
  const full = options.user ? ['runuser', '-u', options.user, '--', ...argv] : [...argv];
  const shown = describeCommand(full);
  log.write('exec', `$ ${shown}${options.input ? '   (stdin given, not logged)' : ''}`);
  const child: ResultPromise = execa(full[0]!, full.slice(1), {
    input: options.input,
    env: childEnvironment(log, options.env),
    extendEnv: false,
    cwd: options.cwd,
    reject: false,
    all: false,
    stripFinalNewline: false,
    timeout: options.timeoutMs,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
  });
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    log.write('out', chunk.trimEnd());
    options.onOutput?.(chunk, 'stdout');
  });
  child.stderr?.on('data', (chunk: string) => {
    log.write('err', chunk.trimEnd());
    options.onOutput?.(chunk, 'stderr');
  });
  const result = await child;
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : result.failed ? 127 : 0;
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  log.write('exit', `${exitCode}${result.timedOut ? ' (timed out)' : ''} <- ${argv[0]}`);
  if (exitCode !== 0 && options.reject !== false) {
    const why = result.timedOut
      ? `timed out after ${options.timeoutMs} ms`
      : result.exitCode === undefined
        ? String(result.shortMessage ?? 'could not be started')
        : `exited with code ${exitCode}`;
    throw new ApplyError(`${options.title ?? 'Command'} failed: \`${log.scrub(shown)}\` ${why}.` + (stderr.trim() ? `\n${log.scrub(tail(stderr))}` : ''), {
      nextSteps: log.path ? [`See the full output in the log: ${log.path}`] : [],
    });
  }
  return { exitCode, stdout, stderr };
}
