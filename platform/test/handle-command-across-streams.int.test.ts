import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AccountState, accountDecider, type TitleCommand, type TitleState, titleDecider } from '@marquee/domain';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  aggregateStream,
  createAggregateCache,
  type EventStore,
  handleCommand,
  openEventStore,
  type RecordedEvent,
  toEventsToAppend,
  VersionConflict,
} from '../src';

const at = '2026-11-24T10:00:00.000Z';
const register = { type: 'RegisterAccount', accountId: 'a1', email: 'ada@example.com', passwordHash: 'h', at } as const;
const profile = (profileId: string) =>
  ({ type: 'CreateProfile', profileId, name: profileId, kids: false, at }) as const;
const createTitle: TitleCommand = {
  type: 'CreateTitle',
  titleId: 't1',
  name: 'Metropolis',
  synopsis: '',
  genres: ['sci-fi'],
  year: 1927,
  maturityRating: '13+',
  at,
};

let store: EventStore;
beforeEach(async () => {
  store = await openEventStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'marquee-across-')), 'events.db')}`);
  await handleCommand(store, 'account-a1', accountDecider, register);
});
afterEach(() => store.close());

const streams = {
  account: { streamName: 'account-a1', decider: accountDecider, append: { idempotencyKey: 'k\nlease' } },
  title: { streamName: 'title-t1', decider: titleDecider },
};

/** Another writer's append to a stream, queued before the command's own. */
const writeFirst = (streamName: 'account-a1' | 'title-t1', events: Parameters<typeof toEventsToAppend>[1]) =>
  void store.appendToStream(streamName, toEventsToAppend(streamName, events));

const profileIds = (state: AccountState) =>
  state.status === 'registered' ? state.profiles.map((p) => p.profileId) : [];

describe('handleCommand over several streams', () => {
  it('decides on every stream state together and appends each stream in the order given', async () => {
    const cache = createAggregateCache();
    const result = await handleCommand(
      store,
      streams,
      ({ account, title }: { account: AccountState; title: TitleState }) => ({
        account: accountDecider.decide(profile('p1'), account),
        title: titleDecider.decide(createTitle, title),
      }),
      { cache },
    );
    expect(result.decided.account.map((e) => e.type)).toEqual(['ProfileCreated']);
    expect(profileIds(result.states.account)).toEqual(['p1']);
    expect(result.states.title.status).toBe('created');
    expect(result.appended.account?.nextExpectedRevision).toBe(1);
    expect(result.appended.title?.nextExpectedRevision).toBe(0);
    expect(result.appended.account?.position).toBeLessThan(result.appended.title?.position ?? 0);
    expect(cache.get('title-t1')?.revision).toBe(0);
    let stored: RecordedEvent | undefined;
    for await (const event of store.readStream('account-a1', { fromRevision: 1 })) stored = event;
    expect(stored?.id).toBe(toEventsToAppend('account-a1', result.decided.account, streams.account.append)[0]?.id);
  });

  it('decides again on fresh states when another writer moved a stream first, as often as allowed', async () => {
    const decide = vi.fn(({ account, title }: { account: AccountState; title: TitleState }) => {
      if (decide.mock.calls.length === 1) writeFirst('account-a1', accountDecider.decide(profile('x'), account));
      return { account: accountDecider.decide(profile('p1'), account), title: titleDecider.decide(createTitle, title) };
    });
    const onIncomplete = vi.fn(async () => {});
    await handleCommand(store, streams, decide, { retries: 1, onIncomplete });
    expect(decide).toHaveBeenCalledTimes(2);
    expect(profileIds((await aggregateStream(store, 'account-a1', accountDecider)).state)).toEqual(['x', 'p1']);
    expect((await aggregateStream(store, 'title-t1', titleDecider)).revision).toBe(0);
    expect(onIncomplete).not.toHaveBeenCalled();
  });

  it('without retries, a conflict on the first stream appends nothing and undoes nothing', async () => {
    const onIncomplete = vi.fn(async () => {});
    const attempt = handleCommand(
      store,
      streams,
      ({ account, title }: { account: AccountState; title: TitleState }) => {
        writeFirst('account-a1', accountDecider.decide(profile('x'), account));
        return {
          account: accountDecider.decide(profile('p1'), account),
          title: titleDecider.decide(createTitle, title),
        };
      },
      { onIncomplete },
    );
    await expect(attempt).rejects.toThrow(VersionConflict);
    expect(onIncomplete).not.toHaveBeenCalled();
    expect((await aggregateStream(store, 'title-t1', titleDecider)).revision).toBeUndefined();
  });

  it('a later stream failing for good after an earlier one was written calls onIncomplete with the decision', async () => {
    const onIncomplete = vi.fn(async (_decided: unknown, _error: unknown) => {});
    const attempt = handleCommand(
      store,
      streams,
      ({ account, title }: { account: AccountState; title: TitleState }) => {
        writeFirst('title-t1', titleDecider.decide(createTitle, title));
        return {
          account: accountDecider.decide(profile('p1'), account),
          title: titleDecider.decide(createTitle, title),
        };
      },
      { onIncomplete },
    );
    await expect(attempt).rejects.toThrow(VersionConflict);
    expect(onIncomplete).toHaveBeenCalledTimes(1);
    expect(onIncomplete.mock.calls[0]?.[0]).toMatchObject({ account: [{ type: 'ProfileCreated' }] });
    expect(onIncomplete.mock.calls[0]?.[1]).toBeInstanceOf(VersionConflict);
    expect(profileIds((await aggregateStream(store, 'account-a1', accountDecider)).state)).toEqual(['p1']);
  });

  it('a retry that fails after an earlier attempt wrote a stream still undoes what that attempt wrote', async () => {
    const onIncomplete = vi.fn(async (_decided: unknown, _error: unknown) => {});
    const decide = vi.fn(({ account, title }: { account: AccountState; title: TitleState }) => {
      // The first attempt writes the account, then loses the title to another writer; the
      // retry is refused by the domain (the title exists now).
      if (decide.mock.calls.length === 1) writeFirst('title-t1', titleDecider.decide(createTitle, title));
      return { account: accountDecider.decide(profile('p1'), account), title: titleDecider.decide(createTitle, title) };
    });
    const attempt = handleCommand(store, streams, decide, { retries: 1, onIncomplete });
    await expect(attempt).rejects.toThrow();
    expect(decide).toHaveBeenCalledTimes(2);
    expect(onIncomplete).toHaveBeenCalledTimes(1);
    expect(onIncomplete.mock.calls[0]?.[0]).toMatchObject({ account: [{ type: 'ProfileCreated' }] });
  });
});
