import type { Redis } from 'ioredis';
import { Mutex } from 'redis-semaphore';

/*
 * The first answer to each keyed request, and the lease on a key while it is being answered,
 * in Redis, so every command API instance behind one address sees the same ones. Answers
 * expire (Redis drops them on its own, no request waits for a sweep); a lease is refreshed while
 * its request runs and lapses on its own if the instance holding it dies.
 */

/** What is kept: the status, the handler's result (never a token: see `defineCommand`), and when. */
export type KeptAnswer = { status: number; body: unknown; fingerprint: string; at: string };

export type KeptAnswers = {
  /** The lease on a key for this request; undefined while another request, here or elsewhere, holds it. */
  lease(id: string): Promise<{ release(): Promise<void> } | undefined>;
  find(id: string): Promise<KeptAnswer | undefined>;
  keep(id: string, answer: KeptAnswer): Promise<void>;
  /** Throws when the store does not answer (for /readyz). */
  ping(): Promise<void>;
  /** False while the connection is down: a failure then is the outage, which is logged once. */
  connected(): boolean;
};

type KeptAnswersOptions = {
  /** Every key starts with it, so installations (and test runs) sharing one Redis stay apart. */
  keyPrefix: string;
  /** How long an answer is kept. */
  ttlMs: number;
  /** How long a lease outlives an instance that died holding it. */
  leaseMs?: number;
  onLeaseLost?: (error: Error) => void;
};

const answerKey = (keyPrefix: string, id: string) => `${keyPrefix}answer:${id}`;

export const openRedisKeptAnswers = (redis: Redis, options: KeptAnswersOptions): KeptAnswers => ({
  lease: async (id) => {
    const mutex = new Mutex(redis, `${options.keyPrefix}answering:${id}`, {
      lockTimeout: options.leaseMs ?? 30_000,
      acquireAttemptsLimit: 1,
      onLockLost: options.onLeaseLost ?? (() => {}),
    });
    return (await mutex.tryAcquire()) ? { release: () => mutex.release() } : undefined;
  },
  find: async (id) => {
    const kept = await redis.get(answerKey(options.keyPrefix, id));
    return kept === null ? undefined : (JSON.parse(kept) as KeptAnswer);
  },
  keep: async (id, answer) => {
    await redis.set(answerKey(options.keyPrefix, id), JSON.stringify(answer), 'PX', options.ttlMs);
  },
  ping: async () => {
    await redis.ping();
  },
  connected: () => redis.status === 'ready',
});
