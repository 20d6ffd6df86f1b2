import { signAccessToken } from '@marquee/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyst,
  content,
  type Served,
  type Stores,
  startSample,
  stopSample,
  viewers,
  viewerToken,
  type writeSample,
} from './sample-platform';

let stores: Stores;
let api: Served;
let ada: { token: string };
let plays: Awaited<ReturnType<typeof writeSample>>['plays'];

beforeAll(async () => {
  ({ stores, api, viewer: ada, plays } = await startSample());
});
afterAll(() => stopSample({ api, stores }));

/** The titles a profile played, latest first: what history should show. */
const playedByLatest = (profileId: string) =>
  plays
    .filter((p) => p.profileId === profileId)
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((p) => p.titleId);

describe('GET /profiles/:profileId/history', () => {
  it("lists the viewer's own profile's titles, latest first, with name and poster", async () => {
    const { status, body } = await api.get('/profiles/p-ada/history', ada);
    expect(status).toBe(200);
    expect(body.items.map((i: { titleId: string }) => i.titleId)).toEqual(playedByLatest('p-ada'));
    expect(body.items[0]).toMatchObject({
      profileId: 'p-ada',
      titleId: 't-dune',
      name: 'Dune Road',
      posterPath: 't-dune/t-dune-enc/poster.jpg',
      positionSeconds: 120,
      completed: false,
    });
    expect(body.items.find((i: { titleId: string }) => i.titleId === 't-echo')).toMatchObject({ completed: true });
    expect(body.nextCursor).toBeNull();
  });

  it('reads another profile of the same account', async () => {
    const { status, body } = await api.get('/profiles/p-kid/history', ada);
    expect(status).toBe(200);
    expect(body.items.map((i: { titleId: string }) => i.titleId)).toEqual(playedByLatest('p-kid'));
  });

  it('pages with the cursor', async () => {
    const seen: string[] = [];
    let path: string | null = '/profiles/p-ada/history?limit=1';
    while (path) {
      const { body } = await api.get(path, ada);
      expect(body.items).toHaveLength(1);
      seen.push(body.items[0].titleId);
      path = body.nextCursor ? `/profiles/p-ada/history?limit=1&cursor=${encodeURIComponent(body.nextCursor)}` : null;
    }
    expect(seen).toEqual(playedByLatest('p-ada'));
  });

  it("answers someone else's profile exactly as one that does not exist: 404", async () => {
    const others = await api.get('/profiles/p-bob/history', ada);
    const missing = await api.get('/profiles/p-nobody/history', ada);
    expect(others.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(others.body).toEqual({
      error: 'ProfileNotFound',
      message: 'Your account has no profile "p-bob".',
      details: null,
    });
    expect(others.body.message.replace('p-bob', 'X')).toBe(missing.body.message.replace('p-nobody', 'X'));
  });

  it('is for viewers: 401 without a token, with an expired one or a forged one; 403 for staff keys', async () => {
    const none = await api.get('/profiles/p-ada/history');
    expect(none.status).toBe(401);
    expect(none.body.message).toMatch(/Bearer/);

    const expired = await viewerToken(viewers.ada.accountId, { ttlSeconds: 60, now: new Date(Date.now() - 3_600_000) });
    const late = await api.get('/profiles/p-ada/history', { token: expired });
    expect(late.status).toBe(401);
    expect(late.body).toMatchObject({ error: 'Unauthenticated', message: expect.stringMatching(/expired/) });

    const forged = await signAccessToken('another-secret-entirely-0123456789abcdef', {
      accountId: viewers.ada.accountId,
    });
    expect((await api.get('/profiles/p-ada/history', { token: forged })).status).toBe(401);
    expect((await api.get('/profiles/p-ada/history', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    expect((await api.get('/profiles/p-ada/history', { key: 'not-a-key-anyone-has' })).status).toBe(401);

    for (const staff of [content, analyst]) expect((await api.get('/profiles/p-ada/history', staff)).status).toBe(403);
  });

  it('finds no profile for a token whose account is not (yet) in the views', async () => {
    const ghost = { token: await viewerToken('a-ghost') };
    expect((await api.get('/profiles/p-ada/history', ghost)).status).toBe(404);
  });
});

describe('GET /profiles/:profileId/continue-watching', () => {
  it('lists the unfinished titles, latest first, leaving out the finished one', async () => {
    const { status, body } = await api.get('/profiles/p-ada/continue-watching', ada);
    expect(status).toBe(200);
    const unfinished = plays
      .filter((p) => p.profileId === 'p-ada' && p.stopAtSeconds < 600 * 0.95)
      .sort((a, b) => b.at.localeCompare(a.at))
      .map((p) => p.titleId);
    expect(body.items.map((i: { titleId: string }) => i.titleId)).toEqual(unfinished);
    expect(body.items[0]).toMatchObject({ titleId: 't-dune', name: 'Dune Road', progress: 120 / 600 });
    expect((await api.get('/profiles/p-ada/continue-watching?limit=1', ada)).body.items).toHaveLength(1);
  });

  it("hides other accounts' profiles and refuses anonymous callers", async () => {
    expect((await api.get('/profiles/p-bob/continue-watching', ada)).status).toBe(404);
    expect((await api.get('/profiles/p-ada/continue-watching')).status).toBe(401);
    const bob = { token: await viewerToken(viewers.bob.accountId) };
    expect((await api.get('/profiles/p-bob/continue-watching', bob)).status).toBe(200);
    expect((await api.get('/profiles/p-ada/continue-watching', bob)).status).toBe(404);
  });
});

describe('GET /accounts/:accountId', () => {
  it("returns the viewer's own account with its profiles and no password hash", async () => {
    const { status, body, text } = await api.get(`/accounts/${viewers.ada.accountId}`, ada);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      accountId: 'a-ada',
      email: 'a-ada@example.com',
      plan: 'standard',
      status: 'active',
      profiles: viewers.ada.profiles.map((profileId) => ({ profileId, name: profileId, kids: false })),
    });
    expect(text).not.toMatch(/password|scrypt/i);
  });

  it('refuses another account with 403, and staff with 403', async () => {
    const other = await api.get(`/accounts/${viewers.bob.accountId}`, ada);
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ error: 'Forbidden', message: expect.stringMatching(/only your own account/) });
    expect((await api.get(`/accounts/${viewers.ada.accountId}`, content)).status).toBe(403);
    expect((await api.get(`/accounts/${viewers.ada.accountId}`)).status).toBe(401);
  });

  it('answers 404 for an own account the views do not have', async () => {
    const ghost = { token: await viewerToken('a-ghost') };
    expect((await api.get('/accounts/a-ghost', ghost)).body).toMatchObject({ error: 'AccountNotFound' });
  });
});
