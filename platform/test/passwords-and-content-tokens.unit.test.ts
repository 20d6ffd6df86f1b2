import { describe, expect, it } from 'vitest';
import { contentPathPrefix, hashPassword, signContentToken, verifyContentToken, verifyPassword } from '../src';

describe('passwords', () => {
  it('hashes with scrypt and a fresh salt, and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });
});

describe('content tokens', () => {
  const secret = 'edge-secret-'.padEnd(40, 'x');
  const prefix = contentPathPrefix('t1', 'e1');
  const now = new Date('2026-11-24T10:00:00Z');
  const { token, expiresAt } = signContentToken(secret, prefix, { ttlSeconds: 3600, now });

  it('opens every file of its title and encoding until it expires', () => {
    expect(expiresAt.toISOString()).toBe('2026-11-24T11:00:00.000Z');
    expect(verifyContentToken(secret, token, '/content/t1/e1/manifest.mpd', now)).toEqual({ ok: true });
    expect(verifyContentToken(secret, token, '/content/t1/e1/video/720p/seg-3.m4s', now)).toEqual({ ok: true });
    expect(verifyContentToken(secret, token, '/content/t1/e1/manifest.mpd', new Date('2026-11-24T11:00:01Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });
  it('opens no other title or encoding, and refuses tampered or foreign tokens', () => {
    expect(verifyContentToken(secret, token, '/content/t2/e1/manifest.mpd', now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(verifyContentToken(secret, token, '/content/t1/e2/manifest.mpd', now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    const [expiry, mac] = token.split('.');
    expect(verifyContentToken(secret, `${Number(expiry) + 3600}.${mac}`, '/content/t1/e1/a.m4s', now).ok).toBe(false);
    expect(verifyContentToken('y'.repeat(40), token, '/content/t1/e1/a.m4s', now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(verifyContentToken(secret, 'garbage', '/content/t1/e1/a.m4s', now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});
