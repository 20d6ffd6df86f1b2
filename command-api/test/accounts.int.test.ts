import { accountDecider, emailClaimDecider } from '@marquee/domain';
import { handleCommand } from '@marquee/platform';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { emailStream } from '../src/accounts/sign-up';
import { type CommandApi, content, eventTypes, signUpViewer, startCommandApi } from './command-platform';

let api: CommandApi;
beforeAll(async () => {
  api = await startCommandApi();
});
afterAll(() => api.close());

const email = () => `ada-${Math.random().toString(36).slice(2)}@example.com`;
const password = 'a long enough password';

describe('accounts', () => {
  it('signs up with a plan and answers with an access token that works', async () => {
    const address = email();
    const signedUp = await api.post('/accounts', undefined, { email: address, password, plan: 'standard' });
    expect(signedUp.status).toBe(201);
    expect(signedUp.body).toMatchObject({ accountId: expect.any(String), plan: 'standard', token: expect.any(String) });
    const profile = await api.post(
      `/accounts/${signedUp.body.accountId}/profiles`,
      { token: signedUp.body.token },
      { name: 'Ada' },
    );
    expect(profile.status).toBe(201);
    const events = [];
    for await (const event of api.eventStore.readStream(`account-${signedUp.body.accountId}`)) events.push(event.type);
    expect(events).toEqual(['AccountRegistered', 'SubscriptionStarted', 'ProfileCreated']);
  });
  it('stores the password as a memory-hard hash, never as sent', async () => {
    const signedUp = await api.post('/accounts', undefined, { email: email(), password, plan: 'basic' });
    for await (const event of api.eventStore.readStream(`account-${signedUp.body.accountId}`))
      if (event.type === 'AccountRegistered') {
        expect(event.data.passwordHash).toMatch(/^scrypt\$/);
        expect(JSON.stringify(event.data)).not.toContain(password);
      }
  });
  it('refuses a second account for the same email, whatever its case', async () => {
    const address = email();
    await api.post('/accounts', undefined, { email: address, password, plan: 'basic' });
    const again = await api.post('/accounts', undefined, { email: address.toUpperCase(), password, plan: 'premium' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      error: 'EmailAlreadyRegistered',
      message: expect.stringMatching(/log in instead/),
    });
  });
  it('refuses bad sign-ups with the field and reason, and writes nothing', async () => {
    const head = await api.eventStore.headPosition();
    const bad = await api.post('/accounts', undefined, {
      email: 'not-an-email',
      password: 'short',
      plan: 'gold',
      admin: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('InvalidRequest');
    const fields = bad.body.details.map((p: { parameter: string }) => p.parameter).sort();
    expect(fields).toEqual(['admin', 'email', 'password', 'plan']);
    expect(await api.eventStore.headPosition()).toBe(head);
  });
  it('logs in with the right password only, with one message for a wrong password or an unknown email', async () => {
    const address = email();
    const signedUp = await api.post('/accounts', undefined, { email: address, password, plan: 'basic' });
    const ok = await api.post('/login', undefined, { email: address, password });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ accountId: signedUp.body.accountId, token: expect.any(String) });
    const wrong = await api.post('/login', undefined, { email: address, password: 'not the password at all' });
    const unknown = await api.post('/login', undefined, { email: email(), password });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.message).toBe(unknown.body.message);
  });
  it('makes a hash from older, weaker parameters again at the next login, once', async () => {
    // The default cost (N=2^17), and an account signed up by an earlier version, hashed at N=2^14.
    const api = await startCommandApi({ passwordCost: 17 });
    onTestFinished(() => api.close());
    const address = email();
    const accountId = `old-${Math.random().toString(36).slice(2)}`;
    const at = '2026-01-01T00:00:00.000Z';
    const oldHash = 'scrypt$16384$8$1$MDEyMzQ1Njc4OWFiY2RlZg$tjK03tRvEjqCcPwmgtddMkgjlXrk8U_b9rIvfeBMKCc';
    await handleCommand(api.eventStore, emailStream(address), emailClaimDecider, {
      type: 'ClaimEmail',
      accountId,
      claimantExists: false,
      at,
    });
    await handleCommand(api.eventStore, `account-${accountId}`, accountDecider, [
      { type: 'RegisterAccount', accountId, email: address, passwordHash: oldHash, at },
      { type: 'StartSubscription', plan: 'basic', at },
    ]);

    const wrong = await api.post('/login', undefined, { email: address, password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    expect(await eventTypes(api.eventStore, `account-${accountId}`)).toEqual([
      'AccountRegistered',
      'SubscriptionStarted',
    ]);

    const first = await api.post('/login', undefined, { email: address, password: 'correct horse battery staple' });
    expect(first.status).toBe(200);
    const events = [];
    for await (const event of api.eventStore.readStream(`account-${accountId}`)) events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'AccountRegistered',
      'SubscriptionStarted',
      'AccountPasswordRehashed',
    ]);
    expect(events[2]?.data.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);

    // The new hash logs in, and is strong enough to be kept.
    const second = await api.post('/login', undefined, { email: address, password: 'correct horse battery staple' });
    expect(second.status).toBe(200);
    expect(await eventTypes(api.eventStore, `account-${accountId}`)).toHaveLength(3);
  });
  it('changes the plan and cancels, only on the caller’s own account', async () => {
    const ada = await signUpViewer(api, 'basic');
    const bob = await signUpViewer(api, 'basic');
    expect((await api.post(`/accounts/${ada.accountId}/plan`, ada.viewer, { plan: 'premium' })).body).toEqual({
      accountId: ada.accountId,
      plan: 'premium',
    });
    const same = await api.post(`/accounts/${ada.accountId}/plan`, ada.viewer, { plan: 'premium' });
    expect(same.status).toBe(409);
    const other = await api.post(`/accounts/${ada.accountId}/plan`, bob.viewer, { plan: 'basic' });
    expect(other.status).toBe(403);
    expect((await api.post(`/accounts/${ada.accountId}/cancel`, ada.viewer)).status).toBe(200);
    expect((await api.post(`/accounts/${ada.accountId}/cancel`, ada.viewer)).status).toBe(409);
  });
  it('allows five profiles and refuses the sixth with the reason', async () => {
    const ada = await signUpViewer(api, 'premium');
    for (const name of ['Bob', 'Cy', 'Di', 'Ed'])
      expect((await api.post(`/accounts/${ada.accountId}/profiles`, ada.viewer, { name })).status).toBe(201);
    const sixth = await api.post(`/accounts/${ada.accountId}/profiles`, ada.viewer, { name: 'Flo' });
    expect(sixth.status).toBe(409);
    expect(sixth.body).toMatchObject({ error: 'ProfileLimitReached', message: expect.stringMatching(/at most 5/) });
  });
  it('refuses account commands without a viewer token, and a content key on them', async () => {
    const ada = await signUpViewer(api, 'basic');
    expect((await api.post(`/accounts/${ada.accountId}/cancel`, undefined)).status).toBe(401);
    expect((await api.post(`/accounts/${ada.accountId}/cancel`, { token: 'forged.token.here' })).status).toBe(401);
    expect((await api.post(`/accounts/${ada.accountId}/cancel`, content)).status).toBe(403);
  });
});

describe('rate limits', () => {
  it('refuses the eleventh login attempt in a minute from one address with 429 and Retry-After', async () => {
    const limited = await startCommandApi({ rateLimits: { logInsPerMinute: 10, signUpsPerMinute: 3 } });
    try {
      const statuses = [];
      for (let i = 0; i < 11; i++)
        statuses.push(
          (await limited.post('/login', undefined, { email: 'x@example.com', password: 'wrong one' })).status,
        );
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      const refused = await limited.post('/login', undefined, { email: 'x@example.com', password: 'wrong one' });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('60');
      expect(refused.body.error).toBe('TooManyRequests');
      const signUps = [];
      for (let i = 0; i < 4; i++)
        signUps.push((await limited.post('/accounts', undefined, { email: email(), password, plan: 'basic' })).status);
      expect(signUps).toEqual([201, 201, 201, 429]);
    } finally {
      await limited.close();
    }
  });
  it("counts viewers behind the player's server by their own address, not the server's", async () => {
    const limited = await startCommandApi({ rateLimits: { logInsPerMinute: 2, signUpsPerMinute: 2 } });
    try {
      const logIn = (viewer: string) =>
        limited.post(
          '/login',
          undefined,
          { email: 'x@example.com', password: 'wrong one' },
          { 'x-forwarded-for': viewer },
        );
      expect([(await logIn('203.0.113.7')).status, (await logIn('203.0.113.7')).status]).toEqual([401, 401]);
      expect((await logIn('203.0.113.7')).status).toBe(429);
      // Another viewer through the same proxy still has the whole allowance.
      expect((await logIn('198.51.100.20')).status).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
