import { DEFAULT_PASSWORD_HASH_COST, MAX_PASSWORD_HASH_COST, MIN_PASSWORD_HASH_COST } from '../config.js';
import { randomBytes, randomInt, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * The scrypt cost is N as a power of two. OWASP's floor (N=2^17, r=8, p=1) costs ~128 MiB per hash; 2^15 keeps
 * a login under ~100 ms on the 2-core machines while still far above the default. Tests configure the
 * cheapest cost scrypt accepts (N=2): every hash stores its own parameters, so verifying never needs the cost.
 */
export { DEFAULT_PASSWORD_HASH_COST };
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

/** What scrypt needs for N and r (128·N·r), with room to spare: Node refuses a hash above `maxmem`. */
function maxmemFor(N: number, r: number): number {
  return 256 * N * r + 16 * 1024 * 1024;
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64; `cost` is log2 of N. */
export async function hashPassword(password: string, cost: number = DEFAULT_PASSWORD_HASH_COST): Promise<string> {
  if (!Number.isInteger(cost) || cost < MIN_PASSWORD_HASH_COST || cost > MAX_PASSWORD_HASH_COST) {
    throw new RangeError(
      `scrypt cost must be an integer ${MIN_PASSWORD_HASH_COST}–${MAX_PASSWORD_HASH_COST}, got ${cost}`,
    );
  }
  const N = 2 ** cost;
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r: R, p: P, maxmem: maxmemFor(N, R) });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const N = Number(n);
  const actual = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: maxmemFor(N, Number(r)),
  });
  return timingSafeEqual(actual, expected);
}

/** A password for generated accounts: 18 random bytes, URL-safe base64 (24 characters). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Lower-case letters and digits without the ones misread on paper: 0/o, 1/l/i. */
const ONE_TIME_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A one-time password handed out on paper or read over the phone, to be replaced at the first login:
 * 16 characters of a 31-character alphabet (79 bits, beyond guessing online or, hashed, offline), in
 * groups of four, lower case so that a phone keyboard needs no shift: "k7mq-3xwd-p9ha-tt4e".
 */
export function generateOneTimePassword(): string {
  const characters = Array.from({ length: 16 }, () => ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)]);
  return [0, 4, 8, 12].map((start) => characters.slice(start, start + 4).join('')).join('-');
}
