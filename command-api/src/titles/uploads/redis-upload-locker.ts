/**
 * tus's locker on Redis, so a resumed upload is written by one request at a time whichever
 * command API instance each request reaches. As tus asks of a locker, a request that wants a
 * held upload asks the holder to let go (the holder is often a PATCH whose client went away):
 * the ask is published, and the instance holding that upload cancels its request.
 */
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/utils';
import type { Redis } from 'ioredis';
import { Mutex, TimeoutError } from 'redis-semaphore';
import { UploadStoreUnavailable } from './tus-uploads';

type RedisUploadLockerOptions = {
  keyPrefix: string;
  /** How long a request waits for an upload another holds, before answering 500 (tus's default: 30 s). */
  acquireTimeoutMs?: number;
  /** How long a lock outlives an instance that died holding it; refreshed while it is held. */
  lockMs?: number;
  onError?: (error: unknown, what: string) => void;
};

export const createRedisUploadLocker = (redis: Redis, options: RedisUploadLockerOptions): Locker => {
  const { keyPrefix, onError = () => {} } = options;
  const releaseChannel = `${keyPrefix}tus-release`;
  const heldHere = new Map<string, RequestRelease>();
  const subscriber = redis.duplicate();
  // Its connection errors are the shared connection's outage, which that one reports once;
  // ioredis reconnects and subscribes again by itself.
  subscriber.on('error', () => {});
  subscriber.on('message', (_channel: string, id: string) => {
    const release = heldHere.get(id);
    if (release) Promise.resolve(release()).catch((error: unknown) => onError(error, 'tus release'));
  });
  subscriber.subscribe(releaseChannel).catch((error: unknown) => onError(error, 'tus release channel'));
  redis.once('end', () => subscriber.disconnect());

  const mutexFor = (id: string, attempts: { once: boolean }) =>
    new Mutex(redis, `${keyPrefix}upload:${id}`, {
      lockTimeout: options.lockMs ?? 30_000,
      acquireTimeout: options.acquireTimeoutMs ?? 30_000,
      ...(attempts.once && { acquireAttemptsLimit: 1 }),
      retryInterval: 25,
      onLockLost: (error) => onError(error, `tus lock on upload ${id}`),
    });

  return {
    newLock: (id): Lock => {
      let held: Mutex | undefined;
      let release: RequestRelease | undefined;
      return {
        lock: async (signal, requestRelease) => {
          let mutex = mutexFor(id, { once: true });
          try {
            if (!(await mutex.tryAcquire(signal))) {
              await redis.publish(releaseChannel, id);
              mutex = mutexFor(id, { once: false });
              await mutex.acquire(signal);
            }
          } catch (error) {
            if (error instanceof TimeoutError) throw ERRORS.ERR_LOCK_TIMEOUT;
            if (signal.aborted) throw error;
            throw new UploadStoreUnavailable(error);
          }
          held = mutex;
          release = requestRelease;
          heldHere.set(id, requestRelease);
        },
        unlock: async () => {
          // A lock that lapsed may have gone to another request here since: leave its hook.
          if (heldHere.get(id) === release) heldHere.delete(id);
          await held?.release();
          held = undefined;
        },
      };
    },
  };
};
