import { createSecretKey, type KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';

/**
 * Who is calling. Viewers carry a signed JWT (HS256) naming their account; content teams and
 * analysts use API keys from configuration. Both APIs read requests through `authenticate`.
 */
export const roles = ['viewer', 'content', 'analyst'] as const;
export type Role = (typeof roles)[number];
export type Principal = { role: 'viewer'; accountId: string } | { role: 'content' | 'analyst'; keyName: string };

export class Unauthenticated extends Error {
  readonly code = 'Unauthenticated';
  constructor(message: string) {
    super(message);
    this.name = 'Unauthenticated';
  }
}

const issuer = 'marquee';
// jose imports a raw secret on every call; a key object made once per secret skips that work.
const keys = new Map<string, KeyObject>();
const keyFor = (secret: string) => {
  const known = keys.get(secret);
  if (known) return known;
  const key = createSecretKey(Buffer.from(secret));
  keys.set(secret, key);
  return key;
};

/** A viewer's access token: `sub` is the account id, `role` is `viewer`. */
export const signAccessToken = async (
  secret: string,
  claims: { accountId: string },
  options: { ttlSeconds?: number; now?: Date } = {},
): Promise<string> => {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ role: 'viewer' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.accountId)
    .setIssuer(issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttlSeconds ?? 7 * 24 * 3600))
    .sign(keyFor(secret));
};

/*
 * A token that verified once verifies again until it expires (tokens are stateless: nothing
 * revokes one early), so recent verifications are remembered and a request skips the HMAC.
 */
const verified = new LRUCache<string, { principal: Principal; expiresAt: number }>({ max: 50_000 });

export const verifyAccessToken = async (secret: string, token: string): Promise<Principal> => {
  const key = `${secret.length}:${secret.slice(0, 8)}:${token}`;
  const known = verified.get(key);
  if (known && known.expiresAt > Date.now()) return known.principal;
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), { issuer, algorithms: ['HS256'] });
    if (payload.role !== 'viewer' || typeof payload.sub !== 'string' || payload.sub === '')
      throw new Unauthenticated('The access token does not name a viewer account.');
    const principal: Principal = { role: 'viewer', accountId: payload.sub };
    if (payload.exp) verified.set(key, { principal, expiresAt: payload.exp * 1000 });
    return principal;
  } catch (error) {
    if (error instanceof Unauthenticated) throw error;
    if (error instanceof joseErrors.JWTExpired)
      throw new Unauthenticated('The access token has expired; log in again.');
    throw new Unauthenticated('The access token is not valid; log in again.');
  }
};

export type ApiKeys = ReadonlyMap<string, { name: string; role: 'content' | 'analyst' }>;

/** Parses `API_KEYS`: comma-separated `name:role:key` entries. */
export const parseApiKeys = (value: string): ApiKeys => {
  const keys = new Map<string, { name: string; role: 'content' | 'analyst' }>();
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [name, role, key] = entry.split(':');
    if (!name || (role !== 'content' && role !== 'analyst') || !key || key.length < 16)
      throw new Error(
        `API_KEYS entry "${entry}" must be name:content|analyst:key, with a key of 16 or more characters.`,
      );
    keys.set(key, { name, role });
  }
  return keys;
};

/** Reads the caller from `Authorization: Bearer <jwt>` or `X-Api-Key: <key>`. */
export const authenticate = async (
  headers: { authorization?: string | undefined; 'x-api-key'?: string | string[] | undefined },
  access: { tokenSecret: string; apiKeys: ApiKeys },
): Promise<Principal> => {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') {
    const known = access.apiKeys.get(apiKey);
    if (!known) throw new Unauthenticated('The API key is not one this installation knows.');
    return { role: known.role, keyName: known.name };
  }
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (!match?.[1])
    throw new Unauthenticated('Sign in: send Authorization: Bearer <token> (viewers) or X-Api-Key (staff).');
  return verifyAccessToken(access.tokenSecret, match[1]);
};
