import type { Container } from '../../scripts/systemd/container.js';

/** Service checks the systemd cases share: an HTTP status over bash's /dev/tcp (no curl in the bed), a unit's main pid and restarts. */

export async function httpStatus(box: Container, host: string, port: number, path: string): Promise<number> {
  const r = await box.exec(['bash', '-c', `exec 3<>/dev/tcp/${host}/${port} && printf 'GET ${path} HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3`]);
  return Number(/HTTP\/1\.\d (\d{3})/.exec(r.stdout)?.[1] ?? 0);
}

export async function unitShow(box: Container, unit: string): Promise<Record<string, string>> {
  const out = await box.sh(`systemctl show -p ActiveState,UnitFileState,MainPID,NRestarts,LoadState ${unit}`);
  return Object.fromEntries(out.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

/** Each property given must be the unit's, with the whole `systemctl show` in the message. */
export async function assertUnit(box: Container, unit: string, expected: Record<string, string>): Promise<void> {
  const shown = await unitShow(box, unit);
  for (const [key, value] of Object.entries(expected)) if (shown[key] !== value) throw new Error(`${unit}: ${key} is ${shown[key]}, expected ${value} (${JSON.stringify(shown)})`);
}
