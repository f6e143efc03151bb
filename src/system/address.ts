import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';

export type AddressCheck = { ok: true; kind: 'ipv4' | 'ipv6' | 'hostname'; value: string } | { ok: false; message: string; fix: string };

const hostnamePattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Syntax only, as the admin types: an IPv4 or IPv6 address, or a host name (which the flow
 * must then resolve). Anything made only of digits and dots must be a valid IPv4 address, so
 * `192.168.0.300` is an error and not a host name.
 */
export function checkAddress(input: string): AddressCheck {
  const value = input.trim();
  if (value === '') return { ok: false, message: 'is empty', fix: 'type the IPv4 or IPv6 address, e.g. 192.168.0.137' };
  const stripped = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  const family = isIP(stripped);
  if (family === 4) return { ok: true, kind: 'ipv4', value: stripped };
  if (family === 6) return { ok: true, kind: 'ipv6', value: stripped.toLowerCase() };
  if (/^[\d.]+$/.test(value)) {
    const parts = value.split('.');
    const bad = parts.find((p) => p === '' || Number(p) > 255);
    const why = parts.length !== 4 ? `has ${parts.length} parts, an IPv4 address has 4` : `part "${bad}" is not a number from 0 to 255`;
    return { ok: false, message: `"${value}" is not a valid IPv4 address: ${why}`, fix: 'use four numbers from 0 to 255, e.g. 192.168.0.137' };
  }
  if (value.includes(':')) return { ok: false, message: `"${value}" is not a valid IPv6 address`, fix: 'check the groups and "::", e.g. fd00::11' };
  if (!hostnamePattern.test(value)) {
    return { ok: false, message: `"${value}" is neither an IP address nor a host name`, fix: 'use an IP address such as 192.168.0.137 or a host name that resolves' };
  }
  return { ok: true, kind: 'hostname', value: value.toLowerCase() };
}

/** Resolves a host name to an address; IP addresses come back as they are. */
export async function resolveAddress(value: string): Promise<string | undefined> {
  if (isIP(value)) return value;
  try {
    const result = await lookup(value);
    return result.address;
  } catch {
    return undefined;
  }
}

export interface LocalAddress {
  interface: string;
  address: string;
  family: 'IPv4' | 'IPv6';
}

export function localAddresses(): LocalAddress[] {
  const out: LocalAddress[] = [];
  for (const [name, entries] of Object.entries(networkInterfaces())) {
    for (const entry of entries ?? []) out.push({ interface: name, address: entry.address, family: entry.family === 'IPv6' ? 'IPv6' : 'IPv4' });
  }
  return out;
}

/** The /32 or /128 network of one address, for pg_hba.conf. */
export function hostNetwork(address: string): string {
  return isIP(address) === 6 ? `${address}/128` : `${address}/32`;
}

/** Formats host:port, bracketing IPv6. */
export function hostPort(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}
