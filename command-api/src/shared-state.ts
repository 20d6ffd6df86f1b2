import type { Logger } from '@marquee/platform';
import { Redis } from 'ioredis';

/**
 * What every instance of the command API shares beyond the stores: kept answers and key
 * leases, and tus's upload locks and metadata, in Redis under one key prefix.
 */
export type SharedState = {
  redis: Redis;
  /** Every key starts with it, so installations (and test runs) sharing one Redis stay apart. */
  keyPrefix: string;
};

export const openSharedState = (options: {
  redisUrl: string;
  keyPrefix: string;
  logger?: Pick<Logger, 'warn' | 'info'>;
}): SharedState & { close(): Promise<void> } => {
  // One retry, then a command fails and a keyed request runs degraded (no replays; its
  // key-derived ids still keep it from appending twice) instead of waiting on Redis.
  // A server that hangs with its connection open fails a command after a bounded wait too.
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
  // Said once per outage, not on every reconnect attempt.
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    options.logger?.warn(
      { err: error },
      'Redis does not answer: keyed commands run without kept answers, uploads answer 503',
    );
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    options.logger?.info('Redis answers again: kept answers and upload locks are back');
  });
  return {
    redis,
    keyPrefix: options.keyPrefix,
    close: async () => {
      await redis.quit();
    },
  };
};
