import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { streamName } from '@marquee/domain';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandApi,
  content,
  encodedTitle,
  eventTypes,
  removeRedisKeys,
  signUpViewer,
  startCommandApi,
} from './command-platform';

/*
 * What is kept of keyed requests, read straight from Redis: for a bounded time, without tokens
 * or passwords, under keyed digests; and what a replay may and may not give.
 */

let api: CommandApi;
beforeAll(async () => {
  api = await startCommandApi();
});
afterAll(() => api.close());

const newKey = (what: string) => ({ 'idempotency-key': `${what}-${Math.random().toString(36).slice(2)}` });
const aSignUp = () => ({
  email: `kept-${Math.random().toString(36).slice(2)}@example.com`,
  password: 'a long enough password',
  plan: 'standard',
});
const aTitle = { name: 'Kept', synopsis: 'A title.', genres: ['drama'], year: 2020, maturityRating: '13+' };

const keptAnswers = async (target: CommandApi) => {
  const keys = await target.redis.keys(`${target.redisPrefix}answer:*`);
  return Promise.all(
    keys.map(async (key) => ({ key, raw: (await target.redis.get(key)) ?? '', ttlMs: await target.redis.pttl(key) })),
  );
};
const eventsOf = (stream: string) => eventTypes(api.eventStore, stream);

describe('kept answers', () => {
  it('keeps a sign-up without its token or password, under a keyed fingerprint, for 24 hours', async () => {
    await removeRedisKeys(api.redis, `${api.redisPrefix}answer:`);
    const body = aSignUp();
    const key = newKey('signup');
    const first = await api.post('/accounts', undefined, body, key);
    expect(first.status).toBe(201);
    expect(first.body.token).toEqual(expect.any(String));

    const kept = await keptAnswers(api);
    expect(kept).toHaveLength(1);
    const [only] = kept;
    expect(only?.raw).not.toContain(first.body.token);
    expect(only?.raw).not.toContain(body.password);
    expect(only?.key).not.toContain(key['idempotency-key']);
    const stored = JSON.parse(only?.raw ?? '{}');
    expect(stored.body).not.toHaveProperty('token');
    const text = JSON.stringify(body);
    for (const plain of [`POST /accounts\n${text}`, text])
      for (const encoding of ['hex', 'base64', 'base64url'] as const)
        expect(stored.fingerprint).not.toBe(createHash('sha256').update(plain).digest(encoding));
    expect(only?.ttlMs).toBeGreaterThan(23.9 * 3600 * 1000);
    expect(only?.ttlMs).toBeLessThanOrEqual(24 * 3600 * 1000);

    // The replay re-issues the token it did not keep: the same one.
    const replayed = await api.post('/accounts', undefined, body, key);
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toEqual(first.body);
  });

  it('keeps a playback start without its content token, and a replay signs the same one again', async () => {
    const titleId = await encodedTitle(api);
    const ada = await signUpViewer(api, 'standard');
    await removeRedisKeys(api.redis, `${api.redisPrefix}answer:`);
    const key = newKey('start');
    const first = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId }, key);
    expect(first.status).toBe(201);
    expect(first.body.manifests[0].dash).toContain(`/c/${first.body.token}/`);

    const [only, ...others] = await keptAnswers(api);
    expect(others).toEqual([]);
    expect(only?.raw).not.toContain(first.body.token);
    expect(JSON.parse(only?.raw ?? '{}').body).not.toHaveProperty('token');

    const replayed = await api.post('/playback', ada.viewer, { profileId: ada.profileId, titleId }, key);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toEqual(first.body);

    // A heartbeat's renewed token is not kept either, and its replay signs the same one.
    const beatKey = newKey('beat');
    const beat = { profileId: ada.profileId, positionSeconds: 5 };
    const path = `/playback/${first.body.sessionId}/progress`;
    const renewed = await api.post(path, ada.viewer, beat, beatKey);
    expect(renewed.status).toBe(200);
    expect(renewed.body.token).toEqual(expect.any(String));
    expect((await keptAnswers(api)).map((kept) => kept.raw).join('\n')).not.toContain(renewed.body.token);
    expect((await api.post(path, ada.viewer, beat, beatKey)).body).toEqual(renewed.body);
  });

  it('drops an answer after its time, and a retry then runs the command again', async () => {
    const shortLived = await startCommandApi({ answerTtlMs: 300 });
    try {
      const key = newKey('title');
      const first = await shortLived.post('/titles', content, aTitle, key);
      expect(first.status).toBe(201);
      expect(await keptAnswers(shortLived)).toHaveLength(1);
      expect((await shortLived.post('/titles', content, aTitle, key)).headers.get('idempotent-replayed')).toBe('true');

      await expect.poll(() => keptAnswers(shortLived), { timeout: 3000 }).toEqual([]);
      const again = await shortLived.post('/titles', content, aTitle, key);
      expect(again.headers.get('idempotent-replayed')).toBeNull();
      // Its ids still derive from the key: the title it made exists, and is not made twice.
      expect(again.status).toBe(409);
      expect(await eventTypes(shortLived.eventStore, streamName('title', first.body.titleId))).toEqual([
        'TitleCreated',
      ]);
    } finally {
      await shortLived.close();
    }
  });
});

describe('a replay grants nothing the request would not', () => {
  it('gives no token to a sign-up key replayed with another password, kept answer or not', async () => {
    const body = aSignUp();
    const key = newKey('signup');
    const first = await api.post('/accounts', undefined, body, key);
    expect(first.status).toBe(201);
    const wrong = { ...body, password: 'not the password at all' };

    const whileKept = await api.post('/accounts', undefined, wrong, key);
    expect(whileKept.status).toBe(422);
    expect(whileKept.body.error).toBe('IdempotencyKeyReused');
    expect(JSON.stringify(whileKept.body)).not.toContain('token');

    // The kept answer is gone (expired, or never kept): the request runs again, and the
    // account the key made is not given to a caller without its password.
    await removeRedisKeys(api.redis, `${api.redisPrefix}answer:`);
    const afterLoss = await api.post('/accounts', undefined, wrong, key);
    expect(afterLoss.status).toBe(409);
    expect(afterLoss.body.error).toBe('EmailAlreadyRegistered');
    expect(afterLoss.body).not.toHaveProperty('token');

    await removeRedisKeys(api.redis, `${api.redisPrefix}answer:`);
    const own = await api.post('/accounts', undefined, body, key);
    expect(own.status).toBe(201);
    expect(own.body.accountId).toBe(first.body.accountId);
    expect(await eventsOf(streamName('account', first.body.accountId))).toEqual([
      'AccountRegistered',
      'SubscriptionStarted',
    ]);
  });
});

describe('commands and projection work', () => {
  it('answers a keyed command promptly while another connection holds the view store write lock', async () => {
    const views = new Database(join(api.dir, 'views.db'));
    views.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const created = await api.post('/titles', content, aTitle, newKey('title'));
      const signedUp = await api.post('/accounts', undefined, aSignUp(), newKey('signup'));
      expect(created.status).toBe(201);
      expect(signedUp.status).toBe(201);
      // The view store's busy timeout is 5 s: anything waiting on the lock would take that long.
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      views.exec('ROLLBACK');
      views.close();
    }
  });
});

describe('when Redis does not answer', () => {
  it('runs keyed commands degraded, still once per key, and says so in /readyz', async () => {
    const cut = await startCommandApi({ redisUrl: 'redis://127.0.0.1:1' });
    try {
      const key = newKey('title');
      const first = await cut.post('/titles', content, aTitle, key);
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotency-store')).toBe('unavailable');
      const head = await cut.eventStore.headPosition();
      // The retry cannot be replayed, but its key-derived ids make it append nothing new.
      const retried = await cut.post('/titles', content, aTitle, key);
      expect(retried.status).toBeLessThan(500);
      if (retried.status === 201) expect(retried.body.titleId).toBe(first.body.titleId);
      expect(await cut.eventStore.headPosition()).toBe(head);

      expect((await cut.post('/titles', content, aTitle)).status).toBe(201);
      const ready = await cut.call('GET', '/readyz', undefined);
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('degraded');
      expect(ready.body.degraded[0]).toContain('kept answers (Redis)');

      // A resumable upload cannot be locked across instances: the client is told to come back.
      const upload = await cut.call('POST', '/titles/uploads', content, undefined, {
        'tus-resumable': '1.0.0',
        'upload-length': '10',
        'upload-metadata': `titleId ${Buffer.from('a-title').toString('base64')}`,
      });
      expect(upload.status).toBe(503);
      expect(String(upload.body)).toContain('shared upload store does not answer');
    } finally {
      await cut.close();
    }
  });
});
