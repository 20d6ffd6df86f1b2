import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accessSettings,
  authenticate,
  loadDevelopmentSecrets,
  parseApiKeys,
  signAccessToken,
  Unauthenticated,
  verifyAccessToken,
} from '../src';

const secret = 's'.repeat(40);
const apiKeys = parseApiKeys('studio:content:content-key-0123456789,insights:analyst:analyst-key-0123456789');

describe('access tokens and API keys', () => {
  it('a viewer token names the account', async () => {
    const token = await signAccessToken(secret, { accountId: 'a1' });
    expect(await verifyAccessToken(secret, token)).toEqual({ role: 'viewer', accountId: 'a1' });
    expect(await authenticate({ authorization: `Bearer ${token}` }, { tokenSecret: secret, apiKeys })).toEqual({
      role: 'viewer',
      accountId: 'a1',
    });
  });
  it('refuses an expired, tampered or foreign token with a reason', async () => {
    const expired = await signAccessToken(
      secret,
      { accountId: 'a1' },
      { ttlSeconds: 60, now: new Date(Date.now() - 3_600_000) },
    );
    await expect(verifyAccessToken(secret, expired)).rejects.toThrow(/expired/);
    const token = await signAccessToken(secret, { accountId: 'a1' });
    const tampered = `${token.slice(0, -4)}AAAA`;
    await expect(verifyAccessToken(secret, tampered)).rejects.toThrow(Unauthenticated);
    await expect(verifyAccessToken('x'.repeat(40), token)).rejects.toThrow(/not valid/);
  });
  it('maps API keys to staff roles and refuses unknown keys', async () => {
    const access = { tokenSecret: secret, apiKeys };
    expect(await authenticate({ 'x-api-key': 'analyst-key-0123456789' }, access)).toEqual({
      role: 'analyst',
      keyName: 'insights',
    });
    await expect(authenticate({ 'x-api-key': 'nope' }, access)).rejects.toThrow(/not one this installation knows/);
    await expect(authenticate({}, access)).rejects.toThrow(/Sign in/);
  });
  it('refuses malformed API_KEYS at start', () => {
    expect(() => parseApiKeys('studio:admin:0123456789abcdefgh')).toThrow(/content\|analyst/);
    expect(() => parseApiKeys('studio:content:short')).toThrow(/16 or more/);
  });
  it('makes development secrets once, keeps them private, and reuses them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-secrets-'));
    const first = loadDevelopmentSecrets(join(dir, 'secrets.json'));
    expect(loadDevelopmentSecrets(join(dir, 'secrets.json'))).toEqual(first);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    const settings = accessSettings({ DATA_DIR: dir });
    expect(settings.tokenSecret).toBe(first.tokenSecret);
    expect(settings.apiKeys.get(first.analystKey)).toEqual({ name: 'analyst', role: 'analyst' });
  });
});
