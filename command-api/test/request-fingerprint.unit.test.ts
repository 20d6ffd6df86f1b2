import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  fingerprintSecret,
  isValidIdempotencyKey,
  keptAnswerId,
  requestFingerprint,
} from '../src/idempotency/request-fingerprint';

const secret = fingerprintSecret('a token secret of at least thirty-two characters');
const body = { email: 'ada@example.com', password: 'a long enough password', plan: 'basic' };

describe('request fingerprints', () => {
  it('are the same for the same request, and differ by method, path or body', () => {
    const one = requestFingerprint(secret, 'POST', '/accounts', body);
    expect(requestFingerprint(secret, 'POST', '/accounts', { ...body })).toBe(one);
    expect(requestFingerprint(secret, 'PUT', '/accounts', body)).not.toBe(one);
    expect(requestFingerprint(secret, 'POST', '/titles', body)).not.toBe(one);
    expect(requestFingerprint(secret, 'POST', '/accounts', { ...body, password: 'another password' })).not.toBe(one);
  });

  it('depend on the server secret, so no one without it can test a guessed password against one', () => {
    const other = fingerprintSecret('another token secret, also thirty-two characters');
    const one = requestFingerprint(secret, 'POST', '/accounts', body);
    expect(requestFingerprint(other, 'POST', '/accounts', body)).not.toBe(one);
    const plain = createHash('sha256').update(`POST /accounts\n${JSON.stringify(body)}`);
    expect(one).not.toBe(plain.digest('base64url'));
  });

  it('keep one caller apart from another with the same key', () => {
    expect(keptAnswerId(secret, 'account:a1', 'key-12345678')).not.toBe(
      keptAnswerId(secret, 'account:a2', 'key-12345678'),
    );
    expect(keptAnswerId(secret, 'account:a1', 'key-12345678')).toBe(keptAnswerId(secret, 'account:a1', 'key-12345678'));
  });
});

describe('Idempotency-Key values', () => {
  it('take 8 to 200 letters, digits, "_", "-", "." or ":"', () => {
    expect(isValidIdempotencyKey('0b9c1a52-6f0e-4d3c-9a57-3f1f7a4c8e21')).toBe(true);
    expect(isValidIdempotencyKey('short')).toBe(false);
    expect(isValidIdempotencyKey('no spaces allowed')).toBe(false);
    expect(isValidIdempotencyKey('x'.repeat(201))).toBe(false);
  });
});
