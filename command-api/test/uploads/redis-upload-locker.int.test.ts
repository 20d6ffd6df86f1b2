import type { RequestRelease } from '@tus/utils';
import { ERRORS } from '@tus/utils';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisUploadLocker } from '../../src/titles/uploads/redis-upload-locker';
import { freshRedisPrefix, redisUrl, removeRedisKeys } from '../command-platform';

/*
 * Two lockers on two connections stand for two command API instances: an upload is held by
 * one request at a time across both, and a request that wants it asks the holder to let go.
 */

const keyPrefix = freshRedisPrefix();
const connections = [new Redis(redisUrl), new Redis(redisUrl)];
const [here, there] = connections.map((redis) => createRedisUploadLocker(redis, { keyPrefix, acquireTimeoutMs: 2000 }));
afterAll(async () => {
  await removeRedisKeys(connections[0] as Redis, keyPrefix);
  await Promise.all(connections.map((redis) => redis.quit()));
});

const never = () => new AbortController().signal;

describe('the Redis upload locker', () => {
  it('lets one instance hold an upload; the other asks it to let go and gets it once it does', async () => {
    const held = here?.newLock('upload-1');
    let asked = 0;
    const letGo: RequestRelease = async () => {
      asked += 1;
      await held?.unlock();
    };
    await held?.lock(never(), letGo);

    const wanted = there?.newLock('upload-1');
    await wanted?.lock(never(), () => {});
    expect(asked).toBe(1);
    await wanted?.unlock();
  });

  it('makes a request wait while the holder keeps the upload, and gives up after the timeout', async () => {
    const held = here?.newLock('upload-2');
    await held?.lock(never(), () => {});
    const started = Date.now();
    await expect(there?.newLock('upload-2').lock(never(), () => {})).rejects.toBe(ERRORS.ERR_LOCK_TIMEOUT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    await held?.unlock();
    const next = there?.newLock('upload-2');
    await next?.lock(never(), () => {});
    await next?.unlock();
  });

  it('keeps different uploads apart', async () => {
    const one = here?.newLock('upload-3');
    const other = there?.newLock('upload-4');
    await one?.lock(never(), () => {});
    await other?.lock(never(), () => {});
    await Promise.all([one?.unlock(), other?.unlock()]);
  });
});
