import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openRedisEdgeHealth } from '../src';
import { startOwnRedis } from '../src/testing';

const health = openRedisEdgeHealth(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
afterAll(() => health.close());

describe('edge health on Redis', () => {
  it('knows an edge while its heartbeat lives, and forgets it when the heartbeat expires', async () => {
    const [live, dead, never] = [randomUUID(), randomUUID(), randomUUID()];
    await health.heartbeat(live, { load: 0.25 }, 5);
    await health.heartbeat(dead, { load: 0.5 }, 0.2);
    const now = await health.healthy([live, dead, never]);
    expect([...now.keys()].sort()).toEqual([live, dead].sort());
    expect(now.get(live)?.load).toBe(0.25);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect([...(await health.healthy([live, dead, never])).keys()]).toEqual([live]);
    expect((await health.healthy([])).size).toBe(0);
  });
  it('forgets an edge that leaves at once, before its heartbeat would expire', async () => {
    const leaving = randomUUID();
    await health.heartbeat(leaving, { load: 0 }, 30);
    expect((await health.healthy([leaving])).has(leaving)).toBe(true);
    await health.leave(leaving);
    expect((await health.healthy([leaving])).has(leaving)).toBe(false);
  });
});

describe('edge health when its Redis stops answering', () => {
  it('answers the edges seen healthy within the window, logs the outage once and names it', async () => {
    const redis = await startOwnRedis();
    let now = new Date('2026-11-24T20:00:00.000Z');
    const logger = { warn: vi.fn(), info: vi.fn() };
    const own = openRedisEdgeHealth(redis.url, { now: () => now, staleSeconds: 10, logger });
    try {
      await own.heartbeat('eu', { load: 0.3 }, 60);
      expect([...(await own.healthy(['eu', 'us'])).keys()]).toEqual(['eu']);
      expect(own.outage()).toBeUndefined();

      await redis.stop();
      now = new Date(now.getTime() + 10_000);
      expect((await own.healthy(['eu', 'us'])).get('eu')?.load).toBe(0.3);
      await expect(own.ping()).rejects.toThrow();
      expect(own.outage()?.reason).toBeTruthy();
      now = new Date(now.getTime() + 1000);
      expect((await own.healthy(['eu', 'us'])).size).toBe(0);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0]?.at(-1)).toMatch(/edge health \(Redis\) does not answer/);
    } finally {
      await own.close();
      await redis.stop();
    }
  });
});
