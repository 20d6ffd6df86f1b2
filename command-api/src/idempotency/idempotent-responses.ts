import { createHash } from 'node:crypto';
import type { ViewStore } from '@marquee/platform';

/*
 * The first answer to each request sent with an Idempotency-Key, kept in the view store, so a
 * client that retries (after a timeout, a dropped connection) gets that answer again and
 * nothing is written twice. A key belongs to one caller, and to one request: the same key with
 * a different method, path or body is a client mistake, not a retry.
 */

export type StoredResponse = { status: number; body: unknown; fingerprint: string; at: string };

const collection = 'idempotent-responses';
const keyPattern = /^[\w.:-]{8,200}$/;

export const isValidIdempotencyKey = (key: string) => keyPattern.test(key);

export const requestFingerprint = (method: string, path: string, body: unknown) =>
  createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(body ?? null)}`)
    .digest('base64url');

export const openIdempotentResponses = async (viewStore: ViewStore) => {
  await viewStore.ensureCollection(collection, {});
  const idOf = (caller: string, key: string) => createHash('sha256').update(`${caller}\n${key}`).digest('base64url');
  return {
    find: async (caller: string, key: string): Promise<StoredResponse | undefined> =>
      (await viewStore.get<StoredResponse>(collection, idOf(caller, key)))?.body,
    remember: async (caller: string, key: string, response: StoredResponse) => {
      await viewStore.writeBatch([
        { collection, upserts: [{ id: idOf(caller, key), position: 0, body: response }], deletes: [] },
      ]);
    },
  };
};

export type IdempotentResponses = Awaited<ReturnType<typeof openIdempotentResponses>>;
