import { createHmac } from 'node:crypto';

/*
 * What is kept of a keyed request is named and compared by keyed digests (HMAC-SHA-256) under a
 * server secret, never by a plain hash: a fingerprint covers a body that may hold a password,
 * and without the secret no one who reads the store can test guesses against it.
 */

const keyPattern = /^[\w.:-]{8,200}$/;

export const isValidIdempotencyKey = (key: string) => keyPattern.test(key);

/** The secret fingerprints are keyed with, derived from the access-token secret so there is nothing more to configure. */
export const fingerprintSecret = (tokenSecret: string): Buffer =>
  createHmac('sha256', tokenSecret).update('marquee idempotency fingerprints').digest();

const keyedDigest = (secret: Buffer, text: string) => createHmac('sha256', secret).update(text).digest('base64url');

/** One request: the same key with a different method, path or body is a client mistake, not a retry. */
export const requestFingerprint = (secret: Buffer, method: string, path: string, body: unknown) =>
  keyedDigest(secret, `${method} ${path}\n${JSON.stringify(body ?? null)}`);

/** Where one caller's key is kept: a key belongs to the caller that sent it. */
export const keptAnswerId = (secret: Buffer, callerScope: string, key: string) =>
  keyedDigest(secret, `${callerScope}\n${key}`);
