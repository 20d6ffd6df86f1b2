import { Redis } from 'ioredis';

/*
 * Edge health: each edge writes a heartbeat with a short expiry; steering asks which edges
 * have a live one. A dead edge simply stops writing, so it drops out of rankings when its last
 * heartbeat expires, within seconds, and no one has to notice it died.
 */

export type EdgeStatus = { load: number; at: string };

export type EdgeHealth = {
  heartbeat(edgeId: string, status: { load: number }, ttlSeconds: number): Promise<void>;
  /** The edges among these with a live heartbeat, and what each last reported. */
  healthy(edgeIds: readonly string[]): Promise<Map<string, EdgeStatus>>;
  /** An edge stopping on purpose leaves the rankings at once, instead of when its heartbeat expires. */
  leave(edgeId: string): Promise<void>;
  close(): Promise<void>;
};

const keyOf = (edgeId: string) => `marquee:edge-health:${edgeId}`;

export const openRedisEdgeHealth = (redisUrl: string): EdgeHealth => {
  const redis = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  // While Redis is down every call rejects, and its caller says so (a heartbeat not written,
  // steering degraded); without a listener ioredis would also print each reconnect failure.
  redis.on('error', () => {});
  return {
    heartbeat: async (edgeId, status, ttlSeconds) => {
      const value: EdgeStatus = { load: status.load, at: new Date().toISOString() };
      await redis.set(keyOf(edgeId), JSON.stringify(value), 'PX', Math.round(ttlSeconds * 1000));
    },
    healthy: async (edgeIds) => {
      const alive = new Map<string, EdgeStatus>();
      if (edgeIds.length === 0) return alive;
      const values = await redis.mget(...edgeIds.map(keyOf));
      values.forEach((value, i) => {
        if (value) alive.set(edgeIds[i] as string, JSON.parse(value) as EdgeStatus);
      });
      return alive;
    },
    leave: async (edgeId) => {
      await redis.del(keyOf(edgeId));
    },
    close: async () => {
      await redis.quit();
    },
  };
};
