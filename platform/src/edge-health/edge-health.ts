import { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logging';

/*
 * Edge health: each edge writes a heartbeat with a short expiry; steering asks which edges
 * have a live one. A dead edge simply stops writing, so it drops out of rankings when its last
 * heartbeat expires, within seconds, and no one has to notice it died.
 *
 * When Redis does not answer, the edges seen healthy within a staleness window stay healthy
 * (their heartbeats cannot be read, not known to be gone): viewers keep being steered to them
 * and to the origin, and the outage is logged once and named by each service's /readyz.
 */

export type EdgeStatus = { load: number; at: string };

/** Since when Redis has not answered edge health, and the last reason it gave. */
export type EdgeHealthOutage = { since: string; reason: string };

export type EdgeHealth = {
  heartbeat(edgeId: string, status: { load: number }, ttlSeconds: number): Promise<void>;
  /**
   * The edges among these with a live heartbeat, and what each last reported. While Redis does
   * not answer, those seen healthy within the staleness window: it does not throw for an outage.
   */
  healthy(edgeIds: readonly string[]): Promise<Map<string, EdgeStatus>>;
  /** An edge stopping on purpose leaves the rankings at once, instead of when its heartbeat expires. */
  leave(edgeId: string): Promise<void>;
  /** Asks Redis now; throws when it does not answer (for /readyz). */
  ping(): Promise<void>;
  /** The outage the last call saw, or undefined while Redis answers. */
  outage(): EdgeHealthOutage | undefined;
  close(): Promise<void>;
};

export const edgeHealthConfig = {
  /**
   * While Redis does not answer, an edge seen healthy this many seconds ago is still steered to;
   * past it, only the origin is.
   */
  EDGE_HEALTH_STALE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
};

/** The last time each edge was seen healthy, with what it reported then. */
export type SeenHealthy = ReadonlyMap<string, { status: EdgeStatus; seenAt: number }>;

/** What is known after Redis answered for these edges: those alive now, seen now; the rest forgotten. */
export const rememberHealthy = (
  seen: SeenHealthy,
  asked: readonly string[],
  alive: ReadonlyMap<string, EdgeStatus>,
  nowMs: number,
): SeenHealthy => {
  const next = new Map(seen);
  for (const edgeId of asked) {
    const status = alive.get(edgeId);
    if (status) next.set(edgeId, { status, seenAt: nowMs });
    else next.delete(edgeId);
  }
  return next;
};

/** While Redis does not answer: the edges among these seen healthy within the last `staleMs`. */
export const recentlyHealthy = (
  seen: SeenHealthy,
  edgeIds: readonly string[],
  nowMs: number,
  staleMs: number,
): Map<string, EdgeStatus> => {
  const recent = new Map<string, EdgeStatus>();
  for (const edgeId of edgeIds) {
    const last = seen.get(edgeId);
    if (last && nowMs - last.seenAt <= staleMs) recent.set(edgeId, last.status);
  }
  return recent;
};

const keyOf = (edgeId: string) => `marquee:edge-health:${edgeId}`;

// A call waits no longer than this for Redis: a playback start is not held up by a hung server.
const defaultTimeoutMs = 1500;

export const openRedisEdgeHealth = (
  redisUrl: string,
  options: {
    now?: () => Date;
    staleSeconds?: number;
    /** Told once when an outage starts and once when it ends. */
    logger?: Pick<Logger, 'warn' | 'info'>;
    timeoutMs?: number;
  } = {},
): EdgeHealth => {
  const now = options.now ?? (() => new Date());
  const staleSeconds = options.staleSeconds ?? edgeHealthConfig.EDGE_HEALTH_STALE_SECONDS.parse(undefined);
  const redis = new Redis(redisUrl, {
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.timeoutMs ?? defaultTimeoutMs,
  });
  let seen: SeenHealthy = new Map();
  let outage: EdgeHealthOutage | undefined;
  const failed = (error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    if (outage) {
      outage.reason = reason;
      return;
    }
    outage = { since: now().toISOString(), reason };
    options.logger?.warn(
      { err: error },
      `edge health (Redis) does not answer: viewers are steered to edges healthy within the last ${staleSeconds} s, and the origin`,
    );
  };
  const answered = () => {
    if (!outage) return;
    options.logger?.info({ since: outage.since }, 'edge health (Redis) answers again');
    outage = undefined;
  };
  // Without a listener ioredis would print each reconnect failure; the first one starts an outage.
  redis.on('error', failed);
  const asking = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call();
      answered();
      return result;
    } catch (error) {
      failed(error);
      throw error;
    }
  };
  return {
    heartbeat: (edgeId, status, ttlSeconds) =>
      asking(async () => {
        const value: EdgeStatus = { load: status.load, at: now().toISOString() };
        await redis.set(keyOf(edgeId), JSON.stringify(value), 'PX', Math.round(ttlSeconds * 1000));
      }),
    healthy: async (edgeIds) => {
      if (edgeIds.length === 0) return new Map();
      try {
        const values = await asking(() => redis.mget(...edgeIds.map(keyOf)));
        const alive = new Map<string, EdgeStatus>();
        values.forEach((value, i) => {
          if (value) alive.set(edgeIds[i] as string, JSON.parse(value) as EdgeStatus);
        });
        seen = rememberHealthy(seen, edgeIds, alive, now().getTime());
        return alive;
      } catch {
        return recentlyHealthy(seen, edgeIds, now().getTime(), staleSeconds * 1000);
      }
    },
    leave: (edgeId) =>
      asking(async () => {
        await redis.del(keyOf(edgeId));
      }),
    ping: () =>
      asking(async () => {
        // A readiness probe answers at once while the connection is down, without queueing.
        if (redis.status !== 'ready') throw new Error(`the connection to Redis is ${redis.status}`);
        await redis.ping();
      }),
    outage: () => outage && { ...outage },
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
};
