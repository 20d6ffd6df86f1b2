import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/*
 * Passwords are stored as scrypt hashes (memory-hard): `scrypt$N$r$p$salt$hash`, base64url.
 * The parameters travel with each hash, so a hash made with older, weaker ones still verifies,
 * and is made again with these at the next successful login (`passwordNeedsRehash`).
 *
 * OWASP's parameters: N=2^17, r=8, p=1. One hash takes 128 × N × r = 128 MiB of memory and
 * about 0.7 s of one core here; `maxmem` is the ceiling Node allows a hash (its default, 32 MiB,
 * is too small for these).
 */
export const passwordConfig = {
  /**
   * log2 of scrypt's N: 17 (OWASP's) unless told. A machine that cannot spend 128 MiB and 0.7 s
   * of a core per login may go down to 14 (16 MiB, 0.08 s), which the hash records; a hash made
   * at another cost is made again at the next login.
   */
  PASSWORD_HASH_COST: z.coerce.number().int().min(14).max(20).default(17),
};
const defaultCost = passwordConfig.PASSWORD_HASH_COST.parse(undefined);
const parametersAt = (cost: number) => ({ N: 2 ** cost, r: 8, p: 1 });
// Room for the largest cost allowed (2^20: 1 GiB); Node's default, 32 MiB, is too small for 2^17.
const maxmem = 1100 * 1024 * 1024;
const keyLength = 32;

const derive = (password: string, salt: Buffer, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyLength, { ...options, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

const parse = (stored: string) => {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !N || !r || !p || !salt || !hash) return undefined;
  return { N: Number(N), r: Number(r), p: Number(p), salt, hash };
};

export const hashPassword = async (password: string, cost = defaultCost): Promise<string> => {
  const salt = randomBytes(16);
  const parameters = parametersAt(cost);
  const hash = await derive(password, salt, parameters);
  const { N, r, p } = parameters;
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
};

export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const parsed = parse(stored);
  if (!parsed) return false;
  const { N, r, p, salt, hash } = parsed;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N, r, p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
};

/** True for a hash made with other parameters than today's: make it again once the password is verified. */
export const passwordNeedsRehash = (stored: string, cost = defaultCost): boolean => {
  const parsed = parse(stored);
  const parameters = parametersAt(cost);
  return parsed !== undefined && (parsed.N !== parameters.N || parsed.r !== parameters.r || parsed.p !== parameters.p);
};
