import { createHash, randomBytes } from 'node:crypto';

/**
 * SHA-512 crypt (`$6$`, Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512", the default of
 * glibc's crypt(3)), so the stats page's password is in HAProxy's configuration only as a hash
 * (a `userlist` password HAProxy checks with crypt(3)) and the configuration can stay readable.
 * Node has no crypt(3); openssl's `passwd -6` is not on every server. Checked against
 * `openssl passwd -6` in test/unit/haproxy-crypt.test.ts.
 */

const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ROUNDS = 5000;

const sha512 = (...parts: Buffer[]) => {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** `length` bytes of `block` repeated. */
function repeated(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += block.length) block.copy(out, i, 0, Math.min(block.length, length - i));
  return out;
}

/** The byte order of the final hash, as the specification lists it. */
const ORDER = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10],
  [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
];

function encode(bytes: Buffer): string {
  let out = '';
  const put = (b2: number, b1: number, b0: number, n: number) => {
    let w = (b2 << 16) | (b1 << 8) | b0;
    for (let i = 0; i < n; i++, w >>= 6) out += ALPHABET[w & 0x3f];
  };
  for (const [a, b, c] of ORDER) put(bytes[a!]!, bytes[b!]!, bytes[c!]!, 4);
  put(0, 0, bytes[63]!, 2);
  return out;
}

export function sha512Crypt(password: string, salt: string): string {
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 16), 'utf8');
  const b = sha512(p, s, p);
  const a = createHash('sha512').update(p).update(s).update(repeated(b, p.length));
  for (let n = p.length; n > 0; n >>= 1) a.update(n & 1 ? b : p);
  let c = a.digest();
  const pBytes = repeated(sha512(...Array<Buffer>(p.length).fill(p)), p.length);
  const sBytes = repeated(sha512(...Array<Buffer>(16 + c[0]!).fill(s)), s.length);
  for (let i = 0; i < ROUNDS; i++) {
    const parts: Buffer[] = [i & 1 ? pBytes : c];
    if (i % 3) parts.push(sBytes);
    if (i % 7) parts.push(pBytes);
    parts.push(i & 1 ? c : pBytes);
    c = sha512(...parts);
  }
  return `$6$${salt.slice(0, 16)}$${encode(c)}`;
}

/** A new hash with a random salt of 16 characters from crypt's alphabet. */
export function newSha512Crypt(password: string): string {
  const salt = [...randomBytes(16)].map((byte) => ALPHABET[byte & 0x3f]).join('');
  return sha512Crypt(password, salt);
}

/** Whether `hash` (a `$6$salt$...` string) is `password`'s: a re-run keeps the hash it finds. */
export function sha512CryptMatches(password: string, hash: string): boolean {
  const m = /^\$6\$([^$]{1,16})\$[./0-9A-Za-z]{86}$/.exec(hash);
  return m !== null && sha512Crypt(password, m[1]!) === hash;
}
