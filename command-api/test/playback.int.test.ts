import { streamName } from '@marquee/domain';
import { verifyContentToken } from '@marquee/platform';
import { rebuild } from '@marquee/projections';
import { allProjections } from '@marquee/read-models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandApi,
  content,
  contentTokenSecret,
  edgeHolding,
  encodedTitle,
  eventTypes,
  originUrl,
  removeRedisKeys,
  signUpViewer,
  startCommandApi,
} from './command-platform';

let api: CommandApi;
let now = new Date('2026-11-24T20:00:00.000Z');
beforeAll(async () => {
  api = await startCommandApi({ now: () => now });
});
afterAll(() => api.close());

const eventsOf = (stream: string) => eventTypes(api.eventStore, stream);
const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};

describe('start playback', () => {
  it('steers to the edges that hold the title and live, nearest region first, origin last, with a content token', async () => {
    const titleId = await encodedTitle(api);
    const suffix = Math.random().toString(36).slice(2, 8);
    const [eu, us, dead] = [`eu-${suffix}`, `us-${suffix}`, `dead-${suffix}`];
    await edgeHolding(api.eventStore, { edgeId: eu, region: 'eu', port: 8101 }, titleId);
    await edgeHolding(api.eventStore, { edgeId: us, region: 'us', port: 8102 }, titleId);
    await edgeHolding(api.eventStore, { edgeId: dead, region: 'eu', port: 8103 }, titleId);
    await rebuild({ eventStore: api.eventStore, viewStore: api.viewStore, projections: allProjections });
    await api.edgeHealth.heartbeat(eu, { load: 0.5 }, 30);
    await api.edgeHealth.heartbeat(us, { load: 0.1 }, 30);
    const ada = await signUpViewer(api, 'standard');

    const started = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId, region: 'us' });
    expect(started.status).toBe(201);
    expect(started.body.manifests.map((m: { edgeId: string | null }) => m.edgeId)).toEqual([us, eu, null]);
    const { token } = started.body;
    expect(started.body.manifests[2]).toEqual({
      edgeId: null,
      region: null,
      dash: `${originUrl}/c/${token}/${titleId}/e1/manifest.mpd`,
      hls: `${originUrl}/c/${token}/${titleId}/e1/master.m3u8`,
    });
    expect(started.body.manifests[0]).toEqual({
      edgeId: us,
      region: 'us',
      dash: `http://127.0.0.1:8102/c/${token}/${titleId}/e1/manifest.mpd`,
      hls: `http://127.0.0.1:8102/c/${token}/${titleId}/e1/master.m3u8`,
    });
    expect(started.body).toMatchObject({ maxHeight: 1080, resumeFromSeconds: 0, encodingId: 'e1' });
    expect(Date.parse(started.body.tokenExpiresAt)).toBe(now.getTime() + 3600_000);
    // The grant: this session, the plan's cap, the viewer's region, and the ranked edges (the origin is implicit).
    expect(verifyContentToken(contentTokenSecret, token, { titleId, encodingId: 'e1' }, now)).toEqual({
      ok: true,
      claims: {
        sessionId: started.body.sessionId,
        maxHeight: 1080,
        region: 'us',
        pathways: [us, eu],
        expiresAt: now.getTime() / 1000 + 3600,
      },
    });
    expect(verifyContentToken(contentTokenSecret, token, { titleId: 'other', encodingId: 'e1' }, now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await eventsOf(streamName('playback', started.body.sessionId))).toEqual(['PlaybackStarted']);
  });
  it('starts before the projections have built any view: steered to the origin, from the start', async () => {
    const fresh = await startCommandApi({ now: () => now });
    try {
      const titleId = await encodedTitle(fresh);
      const edgeId = `eu-${Math.random().toString(36).slice(2, 8)}`;
      await edgeHolding(fresh.eventStore, { edgeId, region: 'eu', port: 8104 }, titleId);
      await fresh.edgeHealth.heartbeat(edgeId, { load: 0.1 }, 30);
      const ada = await signUpViewer(fresh, 'standard');
      expect(await fresh.viewStore.resolveAlias('edge-inventory')).toBeUndefined();
      expect(await fresh.viewStore.resolveAlias('watch-history')).toBeUndefined();

      const started = await fresh.post('/playback', ada.viewer, { profileId: ada.profileId, titleId, region: 'eu' });
      expect(started.status).toBe(201);
      expect(started.body.manifests).toEqual([
        {
          edgeId: null,
          region: null,
          dash: `${originUrl}/c/${started.body.token}/${titleId}/e1/manifest.mpd`,
          hls: `${originUrl}/c/${started.body.token}/${titleId}/e1/master.m3u8`,
        },
      ]);
      const check = verifyContentToken(contentTokenSecret, started.body.token, { titleId, encodingId: 'e1' }, now);
      expect(check.ok && check.claims.pathways).toEqual([]);
      expect(started.body.resumeFromSeconds).toBe(0);
    } finally {
      await fresh.close();
    }
  });
  it("caps the resolution by the plan, in the answer and in the token: basic 720p, premium the ladder's top", async () => {
    const titleId = await encodedTitle(api);
    const basic = await signUpViewer(api, 'basic');
    const premium = await signUpViewer(api, 'premium');
    const capOf = async (viewer: Awaited<ReturnType<typeof signUpViewer>>, title = titleId) => {
      const { body } = await api.post('/playback', viewer.viewer, { profileId: viewer.profileId, titleId: title });
      const check = verifyContentToken(contentTokenSecret, body.token, { titleId: title, encodingId: 'e1' }, now);
      return { answered: body.maxHeight, granted: check.ok ? check.claims.maxHeight : 'refused' };
    };
    expect(await capOf(basic)).toEqual({ answered: 720, granted: 720 });
    expect(await capOf(premium)).toEqual({ answered: 2160, granted: 2160 });
    // Never below the lowest rung: a ladder that starts above the plan's cap still plays its lowest rung.
    const tall = await encodedTitle(api, { heights: [1080, 2160] });
    const other = await signUpViewer(api, 'basic');
    expect(await capOf(other, tall)).toEqual({ answered: 1080, granted: 1080 });
  });
  it("refuses a stream past the plan's limit, and frees the slot at stop", async () => {
    const titleId = await encodedTitle(api);
    const ada = await signUpViewer(api, 'basic');
    const first = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId });
    const second = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      error: 'StreamLimitReached',
      message: expect.stringMatching(/1 stream at a time/),
    });
    expect(
      (
        await api.post(`/playback/${first.body.sessionId}/stop`, ada.viewer, {
          profileId: ada.profileId,
          positionSeconds: 42,
        })
      ).status,
    ).toBe(200);
    expect((await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId })).status).toBe(201);
  });
  it('gives the slot of a session without heartbeats back after two minutes (a closed laptop)', async () => {
    const titleId = await encodedTitle(api);
    const ada = await signUpViewer(api, 'basic');
    const first = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId });
    later(121);
    expect((await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId })).status).toBe(201);
    const stale = await api.post(`/playback/${first.body.sessionId}/progress`, ada.viewer, {
      profileId: ada.profileId,
      positionSeconds: 10,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe('PlaybackSessionExpired');
  });
  it('lets two devices race for the last slot: exactly one wins', async () => {
    const titleId = await encodedTitle(api);
    const ada = await signUpViewer(api, 'basic');
    const both = await Promise.all(
      [1, 2].map(() => api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId })),
    );
    expect(both.map((a) => a.status).sort()).toEqual([201, 409]);
  });
  it('refuses an unpublished title, another account’s profile, a content key, and a cancelled subscription', async () => {
    const titleId = await encodedTitle(api);
    const draft = await encodedTitle(api, { publish: false });
    const ada = await signUpViewer(api, 'premium');
    const bob = await signUpViewer(api, 'premium');
    const unpublished = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId: draft });
    expect(unpublished.status).toBe(409);
    expect(unpublished.body.message).toMatch(/no longer available/);
    expect((await api.post('/playback', ada.viewer, { profileId: bob.profileId, titleId })).status).toBe(404);
    expect((await api.post('/playback', content, { profileId: ada.profileId, titleId })).status).toBe(403);
    await api.post(`/accounts/${ada.accountId}/cancel`, ada.viewer);
    const cancelled = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId });
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.error).toBe('SubscriptionNotActive');
  });
});

describe('a failure half way through starting playback', () => {
  it('gives the stream slot back when the session could not be recorded after its lease was granted', async () => {
    let failSessions = true;
    const flaky = await startCommandApi({
      wrapEventStore: (store) => ({
        ...store,
        appendToStream: (stream, events, options) =>
          failSessions && stream.startsWith('playback-')
            ? Promise.reject(new Error('disk full'))
            : store.appendToStream(stream, events, options),
      }),
    });
    try {
      const titleId = await encodedTitle(flaky);
      const ada = await signUpViewer(flaky, 'basic');
      const failed = await flaky.post('/playback', ada.viewer, { profileId: ada.profileId, titleId });
      expect(failed.status).toBe(500);
      const leases: string[] = [];
      for await (const event of flaky.eventStore.readStream(streamName('account', ada.accountId)))
        if (event.type.startsWith('PlaybackLease')) leases.push(event.type);
      expect(leases).toEqual(['PlaybackLeaseGranted', 'PlaybackLeaseReleased']);
      failSessions = false;
      expect((await flaky.post('/playback', ada.viewer, { profileId: ada.profileId, titleId })).status).toBe(201);
    } finally {
      await flaky.close();
    }
  });
});

describe('during and after playback', () => {
  it('records heartbeats, QoE and stop; a later start resumes where the viewer left off', async () => {
    const titleId = await encodedTitle(api);
    const ada = await signUpViewer(api, 'premium');
    const { body: session } = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId });
    const path = (what: string) => `/playback/${session.sessionId}/${what}`;
    later(20);
    expect(
      (await api.post(path('progress'), ada.viewer, { profileId: ada.profileId, positionSeconds: 20 })).status,
    ).toBe(200);
    later(70);
    const renewed = await api.post(path('progress'), ada.viewer, { profileId: ada.profileId, positionSeconds: 90 });
    expect(renewed.body.leaseExpiresAt).toBe(new Date(now.getTime() + 120_000).toISOString());
    const qoe = await api.post(path('qoe'), ada.viewer, {
      profileId: ada.profileId,
      edgeId: null,
      startupMs: 450,
      rebufferCount: 0,
      rebufferMs: 0,
      averageBitrateKbps: 3200,
      switches: 1,
      watchedSeconds: 90,
    });
    expect(qoe.status).toBe(200);
    expect((await api.post(path('stop'), ada.viewer, { profileId: ada.profileId, positionSeconds: 95 })).status).toBe(
      200,
    );
    expect(await eventsOf(streamName('playback', session.sessionId))).toEqual([
      'PlaybackStarted',
      'PlaybackProgressed',
      'PlaybackProgressed',
      'PlaybackQoEReported',
      'PlaybackStopped',
    ]);
    const afterStop = await api.post(path('progress'), ada.viewer, { profileId: ada.profileId, positionSeconds: 96 });
    expect(afterStop.status).toBe(409);

    await rebuild({ eventStore: api.eventStore, viewStore: api.viewStore, projections: allProjections });
    const again = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId });
    expect(again.body.resumeFromSeconds).toBe(95);
  });
  it('renews the content token with each heartbeat (same grant, later expiry), and not for a stopped session', async () => {
    const shortLived = await startCommandApi({ now: () => now, contentTokenTtlSeconds: 4 });
    try {
      const titleId = await encodedTitle(shortLived);
      const ada = await signUpViewer(shortLived, 'basic');
      const { body: session } = await shortLived.post('/playback', ada.viewer, {
        profileId: ada.profileId,
        titleId,
        region: 'eu',
      });
      const scope = { titleId, encodingId: 'e1' };
      const first = verifyContentToken(contentTokenSecret, session.token, scope, now);
      expect(first.ok).toBe(true);
      const path = (what: string) => `/playback/${session.sessionId}/${what}`;

      later(3);
      const beat = await shortLived.post(path('progress'), ada.viewer, {
        profileId: ada.profileId,
        positionSeconds: 3,
      });
      expect(beat.status).toBe(200);
      expect(Date.parse(beat.body.tokenExpiresAt)).toBe(now.getTime() + 4000);
      later(2);
      // The first token has lapsed; the renewed one opens the same content with the same grant.
      expect(verifyContentToken(contentTokenSecret, session.token, scope, now)).toEqual({
        ok: false,
        reason: 'expired',
      });
      const renewed = verifyContentToken(contentTokenSecret, beat.body.token, scope, now);
      expect(renewed).toEqual({
        ok: true,
        claims: {
          sessionId: session.sessionId,
          maxHeight: 720,
          region: 'eu',
          pathways: [],
          expiresAt: expect.any(Number),
        },
      });
      expect(renewed.ok && first.ok && renewed.claims.expiresAt > first.claims.expiresAt).toBe(true);

      await shortLived.post(path('stop'), ada.viewer, { profileId: ada.profileId, positionSeconds: 5 });
      const afterStop = await shortLived.post(path('progress'), ada.viewer, {
        profileId: ada.profileId,
        positionSeconds: 6,
      });
      expect(afterStop.status).toBe(409);
      expect(afterStop.body.error).toBe('SessionStopped');
      expect(afterStop.body).not.toHaveProperty('token');
    } finally {
      await shortLived.close();
    }
  });
  it('renews no token once the title is unpublished: the heartbeat is refused as TitleUnavailable', async () => {
    const titleId = await encodedTitle(api);
    const ada = await signUpViewer(api, 'premium');
    const { body: session } = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId });
    expect((await api.post(`/titles/${titleId}/unpublish`, content)).status).toBe(200);
    const beat = await api.post(`/playback/${session.sessionId}/progress`, ada.viewer, {
      profileId: ada.profileId,
      positionSeconds: 10,
    });
    expect(beat.status).toBe(409);
    expect(beat.body).toMatchObject({
      error: 'TitleUnavailable',
      message: expect.stringMatching(/no longer available/),
    });
    expect(beat.body).not.toHaveProperty('token');
    expect(await eventsOf(streamName('playback', session.sessionId))).toEqual(['PlaybackStarted']);
  });
  it('takes heartbeats of one session sent at the same time, each once', async () => {
    const titleId = await encodedTitle(api);
    const ada = await signUpViewer(api, 'premium');
    const { body: session } = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId });
    const beats = await Promise.all(
      [11, 12, 13, 14, 15, 16].map((positionSeconds) =>
        api.post(`/playback/${session.sessionId}/progress`, ada.viewer, { profileId: ada.profileId, positionSeconds }),
      ),
    );
    expect(beats.map((b) => b.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const progressed = (await eventsOf(streamName('playback', session.sessionId))).filter(
      (t) => t === 'PlaybackProgressed',
    );
    expect(progressed).toHaveLength(6);
  });
  it("does not let one account touch another's session", async () => {
    const titleId = await encodedTitle(api);
    const ada = await signUpViewer(api, 'premium');
    const bob = await signUpViewer(api, 'premium');
    const { body: session } = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId });
    const poke = await api.post(`/playback/${session.sessionId}/stop`, bob.viewer, {
      profileId: bob.profileId,
      positionSeconds: 1,
    });
    expect(poke.status).toBe(404);
  });
});

describe('idempotent retries', () => {
  it('answers a retried POST with the first answer and writes nothing new', async () => {
    const titleId = await encodedTitle(api);
    const ada = await signUpViewer(api, 'standard');
    const key = { 'idempotency-key': `start-${Math.random().toString(36).slice(2)}` };
    const first = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId }, key);
    const head = await api.eventStore.headPosition();
    const retry = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId }, key);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await api.eventStore.headPosition()).toBe(head);
  });
  it('keeps a refusal as the answer too, and refuses a key reused for another request', async () => {
    const key = { 'idempotency-key': `title-${Math.random().toString(36).slice(2)}` };
    const refused = await api.post('/titles/nope/publish', content, {}, key);
    expect((await api.post('/titles/nope/publish', content, {}, key)).body).toEqual(refused.body);
    const reused = await api.post(
      '/titles',
      content,
      { name: 'X', genres: ['a'], year: 2000, maturityRating: 'all' },
      key,
    );
    expect(reused.status).toBe(422);
    expect(reused.body.error).toBe('IdempotencyKeyReused');
  });
  it('tells a request whose key is still being answered to retry, and then answers it from the first', async () => {
    const key = { 'idempotency-key': `signup-${Math.random().toString(36).slice(2)}` };
    const body = {
      email: `twin-${Math.random().toString(36).slice(2)}@example.com`,
      password: 'a long enough password',
      plan: 'basic',
    };
    const [a, b] = await Promise.all([
      api.post('/accounts', undefined, body, key),
      api.post('/accounts', undefined, body, key),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a, b].find((x) => x.status === 409)?.body.error).toBe('IdempotencyKeyInUse');
    const first = [a, b].find((x) => x.status === 201);
    const retried = await api.post('/accounts', undefined, body, key);
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(first?.body);
  });
  it('derives the ids from the key, so a sign-up retried after its answer was lost makes one account', async () => {
    const key = { 'idempotency-key': `signup-${Math.random().toString(36).slice(2)}` };
    const body = {
      email: `lost-${Math.random().toString(36).slice(2)}@example.com`,
      password: 'a long enough password',
      plan: 'basic',
    };
    const first = await api.post('/accounts', undefined, body, key);
    // The process died after appending and before keeping its answer: the kept answer is gone.
    await removeRedisKeys(api.redis, `${api.redisPrefix}answer:`);
    const retried = await api.post('/accounts', undefined, body, key);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(retried.body.accountId).toBe(first.body.accountId);
    expect(await eventsOf(streamName('account', first.body.accountId))).toEqual([
      'AccountRegistered',
      'SubscriptionStarted',
    ]);
  });
  it('refuses a malformed Idempotency-Key with the header named', async () => {
    const bad = await api.post(
      '/titles',
      content,
      { name: 'X', genres: ['a'], year: 2000, maturityRating: 'all' },
      { 'idempotency-key': 'no spaces allowed' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details[0]).toMatchObject({ in: 'header', parameter: 'Idempotency-Key' });
  });
});
