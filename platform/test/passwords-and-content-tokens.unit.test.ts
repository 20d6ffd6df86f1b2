import { describe, expect, it } from 'vitest';
import {
  contentUrl,
  hashPassword,
  passwordConfig,
  passwordNeedsRehash,
  redactContentToken,
  rungRefusal,
  signContentToken,
  verifyContentToken,
  verifyPassword,
  videoHeightOfFile,
} from '../src';

describe('passwords', () => {
  it('hashes with scrypt and a fresh salt, and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    // OWASP's parameters for scrypt: N=2^17, r=8, p=1.
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
    expect(passwordNeedsRehash(hash)).toBe(false);
  });

  it('still verifies a hash made with the old, weaker parameters, and says it should be made again', async () => {
    // Made by an earlier version, at N=2^14.
    const old = 'scrypt$16384$8$1$MDEyMzQ1Njc4OWFiY2RlZg$tjK03tRvEjqCcPwmgtddMkgjlXrk8U_b9rIvfeBMKCc';
    expect(await verifyPassword('correct horse battery staple', old)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', old)).toBe(false);
    expect(passwordNeedsRehash(old)).toBe(true);
  });

  it('hashes at the cost it is given (PASSWORD_HASH_COST), and a hash at another cost is made again', async () => {
    const cheap = await hashPassword('correct horse battery staple', 14);
    expect(cheap).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse battery staple', cheap)).toBe(true);
    expect(passwordNeedsRehash(cheap, 14)).toBe(false);
    expect(passwordNeedsRehash(cheap, 17)).toBe(true);
    expect(passwordNeedsRehash(cheap)).toBe(true);
    expect(passwordConfig.PASSWORD_HASH_COST.safeParse('13').success).toBe(false);
    expect(passwordConfig.PASSWORD_HASH_COST.parse(undefined)).toBe(17);
  });
});

describe('content tokens', () => {
  const secret = 'edge-secret-'.padEnd(40, 'x');
  const scope = { titleId: 't1', encodingId: 'e1' };
  const grant = { sessionId: 's1', maxHeight: 720, region: 'eu', pathways: ['edge-eu', 'edge-us'] };
  const now = new Date('2026-11-24T10:00:00Z');
  const { token, expiresAt } = signContentToken(secret, scope, grant, { ttlSeconds: 3600, now });

  it('carries its grant for its title and encoding until it expires', () => {
    expect(expiresAt.toISOString()).toBe('2026-11-24T11:00:00.000Z');
    expect(token).toMatch(/^[\w-]+\.[\w-]{43}$/);
    expect(verifyContentToken(secret, token, scope, now)).toEqual({
      ok: true,
      claims: { ...grant, expiresAt: expiresAt.getTime() / 1000 },
    });
    expect(verifyContentToken(secret, token, scope, new Date('2026-11-24T11:00:01Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });
  it('opens no other title or encoding, and refuses tampered or foreign tokens', () => {
    expect(verifyContentToken(secret, token, { titleId: 't2', encodingId: 'e1' }, now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(verifyContentToken(secret, token, { titleId: 't1', encodingId: 'e2' }, now).ok).toBe(false);
    const [, mac] = token.split('.');
    const raised = Buffer.from(JSON.stringify({ x: 9999999999, s: 's1', h: 2160 })).toString('base64url');
    expect(verifyContentToken(secret, `${raised}.${mac}`, scope, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyContentToken('y'.repeat(40), token, scope, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyContentToken(secret, 'garbage', scope, now)).toEqual({ ok: false, reason: 'malformed' });
  });
  it('names the rung of a file, and refuses rungs above the height cap', () => {
    const claims = { ...grant, expiresAt: 0 };
    expect(videoHeightOfFile('segment-v1080-00003.m4s')).toBe(1080);
    expect(videoHeightOfFile('init-v720.m4s')).toBe(720);
    expect(videoHeightOfFile('media-v2160.m3u8')).toBe(2160);
    expect(videoHeightOfFile('init-a0.m4s')).toBeNull();
    expect(videoHeightOfFile('manifest.mpd')).toBeNull();
    expect(rungRefusal(claims, 'segment-v720-00001.m4s')).toBeNull();
    expect(rungRefusal(claims, 'segment-v1080-00001.m4s')).toMatch(/1080p .* 720p/);
    expect(rungRefusal({ ...claims, maxHeight: null }, 'init-v2160.m4s')).toBeNull();
  });
  it('builds the path form every relative URL inherits, and hides the token in logs', () => {
    expect(contentUrl('http://edge:8101/', token, 't1', 'e1', 'manifest.mpd')).toBe(
      `http://edge:8101/c/${token}/t1/e1/manifest.mpd`,
    );
    expect(redactContentToken(`GET /c/${token}/t1/e1/x.m4s`)).toBe('GET /c/…/t1/e1/x.m4s');
  });
});
