import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openRedisEdgeHealth } from '../src';

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
