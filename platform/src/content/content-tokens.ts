import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * A content token lets a player fetch one title's files from an edge until it expires:
 * `<expiresAtSeconds>.<HMAC-SHA256(secret, "<pathPrefix>\n<expiresAtSeconds>")>`. The command
 * API signs it at playback start; edges, which share the secret, check it on every request
 * without asking anyone. The prefix is `/content/<titleId>/<encodingId>/`, so a token for one
 * title opens no other.
 */

export const contentPathPrefix = (titleId: string, encodingId: string) => `/content/${titleId}/${encodingId}/`;

const signature = (secret: string, pathPrefix: string, expiresAt: number) =>
  createHmac('sha256', secret).update(`${pathPrefix}\n${expiresAt}`).digest('base64url');

export const signContentToken = (
  secret: string,
  pathPrefix: string,
  options: { ttlSeconds: number; now?: Date },
): { token: string; expiresAt: Date } => {
  const expiresAt = Math.floor((options.now ?? new Date()).getTime() / 1000) + options.ttlSeconds;
  return { token: `${expiresAt}.${signature(secret, pathPrefix, expiresAt)}`, expiresAt: new Date(expiresAt * 1000) };
};

export type ContentTokenCheck = { ok: true } | { ok: false; reason: 'malformed' | 'expired' | 'invalid' };

/** Checks a token for a requested path: it must be signed for a prefix of the path and not expired. */
export const verifyContentToken = (
  secret: string,
  token: string,
  requestedPath: string,
  now: Date = new Date(),
): ContentTokenCheck => {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  const path = /^\/content\/[^/]+\/[^/]+\//.exec(requestedPath);
  if (!match || !path) return { ok: false, reason: 'malformed' };
  const expiresAt = Number(match[1]);
  const expected = Buffer.from(signature(secret, path[0], expiresAt));
  const given = Buffer.from(match[2] as string);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
  if (expiresAt * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true };
};
