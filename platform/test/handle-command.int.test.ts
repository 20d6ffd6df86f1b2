import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountAlreadyRegistered, accountDecider, titleDecider } from '@marquee/domain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  aggregateStream,
  createAggregateCache,
  deterministicEventId,
  type EventStore,
  handleCommand,
  openEventStore,
  VersionConflict,
} from '../src';

const readAll = async <T>(items: AsyncIterable<T>) => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};
const at = '2026-11-24T10:00:00.000Z';
let store: EventStore;
let url: string;
beforeEach(async () => {
  url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'marquee-commands-')), 'events.db')}`;
  store = await openEventStore(url);
});
afterEach(() => store.close());

const register = { type: 'RegisterAccount', accountId: 'a1', email: 'ada@example.com', passwordHash: 'h', at } as const;
const profile = (profileId: string) =>
  ({ type: 'CreateProfile', profileId, name: profileId, kids: false, at }) as const;

describe('handleCommand', () => {
  it('loads the stream, decides, and appends versioned events', async () => {
    const result = await handleCommand(store, 'account-a1', accountDecider, register);
    expect(result.events.map((e) => e.type)).toEqual(['AccountRegistered']);
    expect(result.state).toMatchObject({ status: 'registered', email: 'ada@example.com' });
    const [stored] = await readAll(store.readStream('account-a1'));
    expect(stored).toMatchObject({ type: 'AccountRegistered', metadata: { schemaVersion: 1 } });
  });
  it('decides several commands in turn and appends their events together, or none of them', async () => {
    const result = await handleCommand(store, 'account-a1', accountDecider, [
      register,
      { type: 'StartSubscription', plan: 'premium', at },
    ]);
    expect(result.events.map((e) => e.type)).toEqual(['AccountRegistered', 'SubscriptionStarted']);
    expect(result.appended?.nextExpectedRevision).toBe(1);
    await expect(
      handleCommand(store, 'account-a1', accountDecider, [
        profile('p1'),
        { type: 'StartSubscription', plan: 'basic', at },
      ]),
    ).rejects.toThrow(/already active/);
    expect(await store.headPosition()).toBe(2);
  });
  it('passes the domain refusal through and appends nothing', async () => {
    await handleCommand(store, 'account-a1', accountDecider, register);
    await expect(handleCommand(store, 'account-a1', accountDecider, register)).rejects.toThrow(
      AccountAlreadyRegistered,
    );
    expect(await store.headPosition()).toBe(1);
  });
  it('appends nothing when the decider has nothing new to say', async () => {
    await handleCommand(store, 'account-a1', accountDecider, register);
    await handleCommand(store, 'account-a1', accountDecider, { type: 'StartSubscription', plan: 'basic', at });
    await handleCommand(store, 'account-a1', accountDecider, profile('p1'));
    const grant = { type: 'GrantPlaybackLease', sessionId: 's1', profileId: 'p1', titleId: 't1', at } as const;
    await handleCommand(store, 'account-a1', accountDecider, grant);
    const again = await handleCommand(store, 'account-a1', accountDecider, grant);
    expect(again.appended).toBeUndefined();
    expect(await store.headPosition()).toBe(4);
  });
  it('refuses a racing writer with VersionConflict, and re-decides on fresh state when retries are allowed', async () => {
    await handleCommand(store, 'account-a1', accountDecider, register);
    const race = (retries: number) =>
      Promise.allSettled(
        ['x', 'y'].map((id) =>
          handleCommand(store, 'account-a1', accountDecider, profile(`${id}${retries}`), { retries }),
        ),
      );
    const withoutRetry = await race(0);
    expect(withoutRetry.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(withoutRetry.find((o) => o.status === 'rejected')?.reason).toBeInstanceOf(VersionConflict);
    const withRetry = await race(1);
    expect(withRetry.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    const { state } = await aggregateStream(store, 'account-a1', accountDecider);
    const profiles = state.status === 'registered' ? state.profiles.map((p) => p.profileId) : [];
    expect(profiles).toHaveLength(3);
    expect(profiles).toEqual(expect.arrayContaining(['x1', 'y1']));
  });
  it('derives event ids from an idempotency key, so the same request appends once', async () => {
    await handleCommand(store, 'account-a1', accountDecider, register, { idempotencyKey: 'k1' });
    const [stored] = await readAll(store.readStream('account-a1'));
    expect(stored?.id).toBe(deterministicEventId('k1', 'account-a1', 0));
    expect(deterministicEventId('k1', 'account-a1', 0)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(deterministicEventId('k2', 'account-a1', 0)).not.toBe(stored?.id);
  });
  it('with a cache, folds only what was appended since, including appends by another process', async () => {
    const cache = createAggregateCache();
    await handleCommand(store, 'account-a1', accountDecider, register, { cache });
    await handleCommand(store, 'account-a1', accountDecider, profile('p1'), { cache });
    expect(cache.get('account-a1')?.revision).toBe(1);
    const other = await openEventStore(url);
    await handleCommand(other, 'account-a1', accountDecider, profile('p2'));
    await other.close();
    const { state, revision } = await aggregateStream(store, 'account-a1', accountDecider, cache);
    expect(revision).toBe(2);
    expect(state.status === 'registered' && state.profiles.map((p) => p.profileId)).toEqual(['p1', 'p2']);
    const uncached = await aggregateStream(store, 'account-a1', accountDecider);
    expect(uncached.state).toEqual(state);
  });
  it('reads old schema versions through their upcasters', async () => {
    await store.appendToStream('title-t1', [
      {
        id: crypto.randomUUID(),
        type: 'TitleCreated',
        data: { titleId: 't1', name: 'Old', synopsis: '', genre: 'noir', year: 1950, maturityRating: '13+', at },
        metadata: { schemaVersion: 1 },
      },
    ]);
    const { state, revision } = await aggregateStream(store, 'title-t1', titleDecider);
    expect(revision).toBe(0);
    expect(state.status === 'created' && state.metadata.genres).toEqual(['noir']);
  });
});
