import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import { excerpt } from './text-checks.js';

export type AddressCheck = { ok: true; kind: 'ipv4' | 'ipv6' | 'hostname'; value: string } | { ok: false; message: string; fix: string };

const hostnamePattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
/** A label inet_aton reads as a number (decimal, octal 0..., hex 0x...): `0x7f.1` is 127.0.0.1 to ping. */
const numericLabel = /^(0x[0-9a-f]*|\d+)$/i;

/** IPv6 in one spelling (WHATWG URL's: lower case, zeros compressed); IPv4-mapped ones as IPv4. */
function canonicalIpv6(value: string): { kind: 'ipv4' | 'ipv6'; value: string } {
  const canonical = new URL(`http://[${value}]`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return { kind: 'ipv6', value: canonical };
  const [high, low] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
  return { kind: 'ipv4', value: [high >> 8, high & 255, low >> 8, low & 255].join('.') };
}

function notOneServer(value: string, kind: 'ipv4' | 'ipv6'): string | undefined {
  if (value === '0.0.0.0' || value === '::') return 'is the "any address", not the address of one server';
  if (kind === 'ipv4' && (value === '255.255.255.255' || /^(22[4-9]|23\d)\./.test(value))) return 'is a broadcast or multicast address, not the address of one server';
  if (kind === 'ipv6' && value.startsWith('ff')) return 'is a multicast address, not the address of one server';
  return undefined;
}

function ipv4Problem(value: string): AddressCheck {
  const parts = value.split('.');
  const why =
    parts.length !== 4
      ? `has ${parts.length} part${parts.length === 1 ? '' : 's'}, an IPv4 address has 4`
      : parts.some((p) => p.length > 1 && p.startsWith('0'))
        ? `part "${parts.find((p) => p.length > 1 && p.startsWith('0'))}" has a leading zero (ping would read it as an octal number)`
        : `part "${parts.find((p) => p === '' || Number(p) > 255) ?? ''}" is not a number from 0 to 255`;
  return { ok: false, message: `${excerpt(value)} is not a valid IPv4 address: ${why}`, fix: 'use four numbers from 0 to 255 without leading zeros, e.g. 192.168.0.137' };
}

/**
 * Syntax only, as the admin types: an IPv4 or IPv6 address, or a host name (which the flow
 * must then resolve). Addresses come back canonical, so `::ffff:127.0.0.11`, `[::1]` and
 * `::0001` compare equal to what they are. Anything made only of digits and dots must be a
 * valid IPv4 address (`192.168.0.300` is an error, not a host name), and forms that ping and
 * PostgreSQL read differently (leading zeros, hex) are refused. A zone id (`fe80::1%eth0`)
 * cannot be written into pg_hba.conf, so it is refused too.
 */
export function checkAddress(input: string): AddressCheck {
  const value = input.trim();
  if (value === '') return { ok: false, message: 'is empty', fix: 'type the IPv4 or IPv6 address, e.g. 192.168.0.137' };
  const stripped = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (stripped.includes('%') && isIP(stripped) === 6) {
    return { ok: false, message: `${excerpt(value)} has a zone id (${excerpt(stripped.slice(stripped.indexOf('%')))}), which pg_hba.conf cannot carry`, fix: 'use a global or unique-local IPv6 address (not a link-local fe80:: one), or the IPv4 address' };
  }
  const family = isIP(stripped);
  const found = family === 4 ? { kind: 'ipv4' as const, value: stripped } : family === 6 ? canonicalIpv6(stripped) : undefined;
  if (found) {
    const wrong = notOneServer(found.value, found.kind);
    return wrong ? { ok: false, message: `${excerpt(value)} ${wrong}`, fix: 'give the address of the server itself' } : { ok: true, ...found };
  }
  if (/^[\d.]+$/.test(value)) return ipv4Problem(value);
  if (value.includes(':')) return { ok: false, message: `${excerpt(value)} is not a valid IPv6 address`, fix: 'check the groups and "::", e.g. fd00::11' };
  if (!hostnamePattern.test(value)) {
    return { ok: false, message: `${excerpt(value)} is neither an IP address nor a host name`, fix: 'use an IP address such as 192.168.0.137 or a host name that resolves' };
  }
  if (value.split('.').every((label) => numericLabel.test(label)) || /^\d+$/.test(value.slice(value.lastIndexOf('.') + 1))) {
    return { ok: false, message: `${excerpt(value)} looks like a number, not a host name (ping would read it as an address)`, fix: 'write the IPv4 address as four numbers from 0 to 255, e.g. 192.168.0.137' };
  }
  return { ok: true, kind: 'hostname', value: value.toLowerCase() };
}

/** Whether two answers name the same address (canonical forms compared; host names by name). */
export function sameAddress(a: string, b: string): boolean {
  const [x, y] = [checkAddress(a), checkAddress(b)];
  return x.ok && y.ok ? x.value === y.value : a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Resolves a host name to an address; IP addresses come back as they are. */
export async function resolveAddress(value: string): Promise<string | undefined> {
  const given = checkAddress(value);
  if (given.ok && given.kind !== 'hostname') return given.value;
  try {
    const result = await lookup(value);
    const resolved = checkAddress(result.address);
    return resolved.ok ? resolved.value : result.address;
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
