import { randomUUID } from 'node:crypto';
import { createLogger, encodingStatusOf, openEncodeQueue, openRedisEdgeHealth } from '@marquee/platform';
import { startOwnRedis } from '@marquee/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryApp } from '../src';
import {
  apiKeys,
  content,
  contentTokenSecret,
  openStores,
  type Stores,
  serve,
  tokenSecret,
  viewerToken,
} from './sample-platform';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let stores: Stores;
let url: string;
let close: () => Promise<void>;
const queue = openEncodeQueue(redisUrl, `test-${randomUUID()}`);
const edgeHealth = openRedisEdgeHealth(redisUrl);
const probe = { durationSeconds: 60, width: 1920, height: 1080, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' };

beforeAll(async () => {
  stores = await openStores();
  const app = createQueryApp({
    ...stores,
    access: { tokenSecret, apiKeys },
    readyMaxLag: 0,
    logger: createLogger('query-api', 'silent'),
    encodings: encodingStatusOf(queue),
    steering: { edgeHealth, contentTokenSecret, ttlSeconds: 5 },
    validateResponses: true,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  close = async () => {
    server.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await edgeHealth.close();
    await stores.viewStore.close();
    await stores.checkpoints.close();
    await stores.eventStore.close();
  };
});
afterAll(() => close());

const get = async (path: string, headers: Record<string, string>) => {
  const response = await fetch(`${url}${path}`, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe("a title's encoding status", () => {
  it('shows each waiting encoding with its place in the queue and its progress, for the content team', async () => {
    await queue.add('encode', { titleId: 'first', uploadId: 'u1', sourcePath: '/a', probe }, { jobId: 'job-first' });
    await queue.add('encode', { titleId: 'second', uploadId: 'u2', sourcePath: '/b', probe }, { jobId: 'job-second' });
    await (await queue.getJob('job-second'))?.updateProgress({ percent: 40, fps: 50, speed: 2, etaSeconds: 18 });
    const answer = await get('/titles/second/encoding', { 'x-api-key': content.key });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      titleId: 'second',
      encodings: [
        expect.objectContaining({
          encodingId: 'job-second',
          uploadId: 'u2',
          state: 'waiting',
          queuePosition: 2,
          progress: { percent: 40, fps: 50, speed: 2, etaSeconds: 18 },
        }),
      ],
    });
    expect((await get('/titles/first/encoding', { 'x-api-key': content.key })).body.encodings).toEqual([
      expect.objectContaining({ encodingId: 'job-first', queuePosition: 1 }),
    ]);
    expect((await get('/titles/none/encoding', { 'x-api-key': content.key })).body.encodings).toEqual([]);
  });
  it('is for the content team only', async () => {
    expect(
      (await get('/titles/second/encoding', { authorization: `Bearer ${await viewerToken('a-ada')}` })).status,
    ).toBe(403);
  });
});

describe('encoding status when the queue’s Redis hangs with its connection open', () => {
  it('answers 503 naming the queue within seconds instead of waiting, and /readyz says degraded', async () => {
    const redis = await startOwnRedis();
    const hung = openEncodeQueue(redis.url, `test-${randomUUID()}`);
    const own = await serve(stores, { encodings: encodingStatusOf(hung) });
    try {
      await hung.add('encode', { titleId: 'kept', uploadId: 'u1', sourcePath: '/a', probe }, { jobId: 'job-kept' });
      expect((await own.get('/titles/kept/encoding', content)).status).toBe(200);
      expect((await own.get('/readyz')).body.degraded).toBeUndefined();

      redis.pause();
      // Each answer comes within a few seconds: the reader waits three at most.
      const withinSeconds = async <T>(call: Promise<T>) => {
        const began = Date.now();
        const answer = await call;
        expect(Date.now() - began).toBeLessThan(5_000);
        return answer;
      };
      const answer = await withinSeconds(own.get('/titles/kept/encoding', content));
      expect(answer.status).toBe(503);
      expect(answer.body.message).toMatch(/encoding queue \(Redis\) did not answer/);
      const ready = await withinSeconds(own.get('/readyz'));
      expect(ready.body.degraded.join('\n')).toContain('encoding queue (Redis)');
    } finally {
      redis.resume();
      await own.close();
      await hung.close();
      await redis.stop();
    }
  }, 20_000);

  it('with Redis stopped, /readyz says degraded at once, as a readiness probe must', async () => {
    const redis = await startOwnRedis();
    const queue = openEncodeQueue(redis.url, `test-${randomUUID()}`);
    const own = await serve(stores, { encodings: encodingStatusOf(queue) });
    try {
      await queue.count();
      expect((await own.get('/readyz')).body.degraded).toBeUndefined();
      await redis.stop();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const began = Date.now();
      const ready = await own.get('/readyz');
      expect(Date.now() - began).toBeLessThan(1_000);
      expect(ready.body.degraded.join('\n')).toContain('encoding queue (Redis)');
    } finally {
      await own.close();
      await queue.close().catch(() => {});
    }
  }, 20_000);
});
