import { createLogger } from '@marquee/platform';
import { startOwnRedis } from '@marquee/platform/testing';
import { rebuild } from '@marquee/projections';
import { allProjections } from '@marquee/read-models';
import { describe, expect, it, vi } from 'vitest';
import { type CommandApi, content, edgeHolding, encodedTitle, signUpViewer, startCommandApi } from './command-platform';

/*
 * Edge health lives in Redis. When it stops answering, a viewer still starts playback: steered
 * to the edges that were healthy moments ago and to the origin, with the outage logged once and
 * named by /readyz.
 */

const edgesOf = (answer: { body: { manifests: { edgeId: string | null }[] } }) =>
  answer.body.manifests.map((m) => m.edgeId);

/** An API whose edge health is on a Redis of the test's own, with a title held by two live edges. */
const platformWithTwoEdges = async () => {
  const redis = await startOwnRedis();
  let now = new Date('2026-11-24T20:00:00.000Z');
  const logger = createLogger('command-api', 'silent');
  const api: CommandApi = await startCommandApi({ edgeHealthRedisUrl: redis.url, now: () => now, logger });
  const titleId = await encodedTitle(api);
  const suffix = Math.random().toString(36).slice(2, 8);
  const [eu, us] = [`eu-${suffix}`, `us-${suffix}`];
  await edgeHolding(api.eventStore, { edgeId: eu, region: 'eu', port: 8101 }, titleId);
  await edgeHolding(api.eventStore, { edgeId: us, region: 'us', port: 8102 }, titleId);
  await rebuild({ eventStore: api.eventStore, viewStore: api.viewStore, projections: allProjections });
  await api.edgeHealth.heartbeat(eu, { load: 0.5 }, 600);
  await api.edgeHealth.heartbeat(us, { load: 0.1 }, 600);
  const viewer = await signUpViewer(api, 'premium');
  const start = () => api.post('/playback', viewer.viewer, { profileId: viewer.profileId, titleId, region: 'us' });
  return {
    redis,
    api,
    logger,
    start,
    edges: { eu, us },
    later: (seconds: number) => {
      now = new Date(now.getTime() + seconds * 1000);
    },
    close: async () => {
      await api.close();
      await redis.stop();
    },
  };
};

describe('playback when edge health (Redis) stops answering', () => {
  it('starts on the edges healthy moments ago and the origin, says so once in the log and in /readyz', async () => {
    const platform = await platformWithTwoEdges();
    const { api, start, edges } = platform;
    const warnings = vi.spyOn(platform.logger, 'warn');
    try {
      expect(edgesOf(await start())).toEqual([edges.us, edges.eu, null]);
      expect((await api.call('GET', '/readyz', undefined)).body.status).toBe('ready');

      await platform.redis.stop();
      platform.later(10);
      const during = await start();
      expect(during.status).toBe(201);
      expect(edgesOf(during)).toEqual([edges.us, edges.eu, null]);
      const again = await start();
      expect(again.status).toBe(201);

      const ready = await api.call('GET', '/readyz', undefined);
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('degraded');
      expect(ready.body.degraded.join('\n')).toContain('edge health (Redis)');

      // Past the staleness window nothing is known healthy: the origin serves every title.
      platform.later(60);
      const stale = await start();
      expect(stale.status).toBe(201);
      expect(edgesOf(stale)).toEqual([null]);

      const edgeHealthWarnings = warnings.mock.calls.filter((call) => String(call.at(-1)).includes('edge health'));
      expect(edgeHealthWarnings).toHaveLength(1);
    } finally {
      await platform.close();
    }
  });
  it('does not hang when Redis stops answering with its connection open', async () => {
    const platform = await platformWithTwoEdges();
    try {
      expect(edgesOf(await platform.start())).toEqual([platform.edges.us, platform.edges.eu, null]);
      platform.redis.pause();
      const began = Date.now();
      const during = await platform.start();
      expect(during.status).toBe(201);
      expect(edgesOf(during)).toEqual([platform.edges.us, platform.edges.eu, null]);
      const ready = await platform.api.call('GET', '/readyz', undefined);
      expect(ready.body.status).toBe('degraded');
      expect(Date.now() - began).toBeLessThan(8_000);
    } finally {
      await platform.close();
    }
  }, 20_000);
});

describe('kept answers and upload locks when their Redis hangs with its connection open', () => {
  it('runs keyed commands degraded and refuses uploads with a 503 within seconds, and /readyz says so', async () => {
    const redis = await startOwnRedis();
    const api = await startCommandApi({ redisUrl: redis.url });
    const aTitle = { name: 'Hung', synopsis: 'A title.', genres: ['drama'], year: 2020, maturityRating: '13+' };
    const key = (what: string) => ({ 'idempotency-key': `${what}-${Math.random().toString(36).slice(2)}` });
    try {
      const before = await api.post('/titles', content, aTitle, key('title'));
      expect(before.status).toBe(201);
      expect(before.headers.get('idempotency-store')).toBeNull();

      redis.pause();
      // Each answer comes within a few seconds: a Redis command waits two at most.
      const withinSeconds = async <T>(call: Promise<T>) => {
        const began = Date.now();
        const answer = await call;
        expect(Date.now() - began).toBeLessThan(4_000);
        return answer;
      };
      const during = await withinSeconds(api.post('/titles', content, aTitle, key('title')));
      expect(during.status).toBe(201);
      expect(during.headers.get('idempotency-store')).toBe('unavailable');
      const upload = await withinSeconds(
        api.call('POST', '/titles/uploads', content, undefined, {
          'tus-resumable': '1.0.0',
          'upload-length': '10',
          'upload-metadata': `titleId ${Buffer.from('a-title').toString('base64')}`,
        }),
      );
      expect(upload.status).toBe(503);
      const ready = await withinSeconds(api.call('GET', '/readyz', undefined));
      expect(ready.body.status).toBe('degraded');
      expect(ready.body.degraded.join('\n')).toContain('kept answers (Redis)');
    } finally {
      await api.close();
      await redis.stop();
    }
  }, 30_000);
});

describe('the log while the shared Redis is down', () => {
  it('says so once, with no error line per reconnect attempt', async () => {
    const redis = await startOwnRedis();
    const logger = createLogger('command-api', 'silent');
    const errors = vi.spyOn(logger, 'error');
    const warnings = vi.spyOn(logger, 'warn');
    const api = await startCommandApi({ redisUrl: redis.url, logger });
    try {
      await redis.stop();
      // ioredis tries to reconnect several times in three seconds.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(errors.mock.calls.map((call) => String(call.at(-1)))).toEqual([]);
      const redisWarnings = warnings.mock.calls.filter((call) => /Redis/.test(String(call.at(-1))));
      expect(redisWarnings).toHaveLength(1);
    } finally {
      await api.close();
    }
  }, 20_000);
});
