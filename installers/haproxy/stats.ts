import { connect } from 'node:net';

/**
 * HAProxy's own view of the servers, from its stats socket (`show stat`, CSV): each backend
 * server, its check state and since when, its sessions. What `ha-install status` shows on the
 * balancer; no HTTP and no password needed (the socket is root's, level user).
 */

export interface BalancedServer {
  /** The `listen` section: postgresql, application. */
  proxy: string;
  name: string;
  address: string;
  /** UP, DOWN, MAINT, `UP 1/2` while it goes up... */
  status: string;
  /** HAProxy's last check: `L7OK/200 in 2ms`, `L7STS/503`, `L4CON`. */
  check: string;
  /** Seconds since the status last changed. */
  sinceSeconds?: number;
  sessions: number;
  totalSessions: number;
  backup: boolean;
}

/** One command on the stats socket; its whole answer. */
export function statsCommand(socket: string, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const client = connect(socket, () => client.end(`${command}\n`));
    client.setEncoding('utf8');
    client.setTimeout(timeoutMs, () => client.destroy(new Error(`no answer from ${socket} within ${timeoutMs} ms`)));
    client.on('data', (chunk: string) => (out += chunk));
    client.on('end', () => resolve(out));
    client.on('error', reject);
  });
}

export function parseShowStat(csv: string): BalancedServer[] {
  const [header, ...lines] = csv.split('\n').filter((l) => l.trim() !== '');
  if (!header?.startsWith('# ')) return [];
  const columns = header.slice(2).split(',');
  const at = (row: string[], name: string) => row[columns.indexOf(name)] ?? '';
  return lines
    .map((line) => line.split(','))
    .filter((row) => !['FRONTEND', 'BACKEND'].includes(at(row, 'svname')))
    .map((row) => {
      const check = [at(row, 'check_status'), at(row, 'check_code')].filter(Boolean).join('/');
      const duration = at(row, 'check_duration');
      return {
        proxy: at(row, 'pxname'),
        name: at(row, 'svname'),
        address: at(row, 'addr'),
        status: at(row, 'status'),
        check: check ? `${check}${duration ? ` in ${duration} ms` : ''}` : '-',
        sinceSeconds: at(row, 'lastchg') === '' ? undefined : Number(at(row, 'lastchg')),
        sessions: Number(at(row, 'scur') || 0),
        totalSessions: Number(at(row, 'stot') || 0),
        backup: at(row, 'bck') === '1',
      };
    });
}

/** `show servers state`: the servers' addresses, which `show stat` hides at level user. */
export function parseServersState(text: string): Map<string, string> {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines.find((l) => l.startsWith('# be_id'))?.slice(2).split(' ') ?? [];
  const [proxy, name, address] = ['be_name', 'srv_name', 'srv_addr'].map((c) => header.indexOf(c));
  const out = new Map<string, string>();
  for (const line of lines.filter((l) => !l.startsWith('#') && /^\d+ /.test(l))) {
    const f = line.split(' ');
    out.set(`${f[proxy!]}/${f[name!]}`, f[address!] ?? '');
  }
  return out;
}

export async function balancedServers(socket: string): Promise<BalancedServer[]> {
  const [stat, state] = await Promise.all([statsCommand(socket, 'show stat'), statsCommand(socket, 'show servers state')]);
  const addresses = parseServersState(state);
  return parseShowStat(stat).map((s) => ({ ...s, address: s.address || addresses.get(`${s.proxy}/${s.name}`) || '' }));
}
