import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { BACKWARDS, END, FORWARDS, START } from '@eventstore/db-client';
import { afterEach, describe, expect, it } from 'vitest';
import { openEventStore, type RecordedEvent } from '../src';
import { duplicateScanBeforeAppend, UnsupportedEsdbOption } from '../src/event-store/esdb-append-checks';
import { type EsdbClient, esdbEventStore, openEsdbEventStore } from '../src/event-store/esdb-event-store';

/*
 * The EventStoreDB adapter's own decisions, against a stand-in client (no server can run here):
 * what it asks the server for, and from where. The contract suite checks the rest against a real
 * server when ESDB_URL is set.
 */

const at = (commit: number) => ({ commit: BigInt(commit), prepare: BigInt(commit) });
const resolved = (commit: number, type = 'Created', streamId = 'title-1') => ({
  event: {
    id: randomUUID(),
    type,
    streamId,
    revision: 0n,
    position: at(commit),
    isJson: true,
    data: {},
    metadata: {},
    created: new Date('2026-01-01T00:00:00Z'),
    contentType: 'application/json',
  },
});
type Item = ReturnType<typeof resolved>;

/** A read or subscription: the items, then its end, an error, or (open) nothing. */
const stream = (items: Item[], then: 'end' | 'open' | Error = 'end') => {
  const readable = new Readable({ objectMode: true, read() {} });
  setImmediate(() => {
    for (const item of items) readable.push(item);
    if (then === 'end') readable.push(null);
    else if (then instanceof Error) readable.destroy(then);
  });
  return Object.assign(readable, { cancel: async () => void readable.destroy(), unsubscribe: async () => {} });
};

type Call = { method: string; args: unknown[] };
const fakeClient = (script: Partial<Record<keyof EsdbClient, (...args: never[]) => unknown>>) => {
  const calls: Call[] = [];
  const record =
    (method: keyof EsdbClient, fallback: (...args: never[]) => unknown) =>
    (...args: never[]) => {
      calls.push({ method, args });
      return (script[method] ?? fallback)(...args);
    };
  const client = {
    appendToStream: record('appendToStream', async () => ({
      success: true,
      nextExpectedRevision: 0n,
      position: at(9),
    })),
    readStream: record('readStream', () => stream([])),
    readAll: record('readAll', () => stream([])),
    subscribeToAll: record('subscribeToAll', () => stream([], 'open')),
    dispose: record('dispose', async () => {}),
  } as unknown as EsdbClient;
  return { client, calls };
};

const collect = async (events: AsyncIterable<RecordedEvent>) => {
  const all: RecordedEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
};
const newEvent = () => ({ id: randomUUID(), type: 'Created', data: {} });

const stores: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

describe('EventStoreDB appends', () => {
  it('looks for repeated ids before an append only where the server does not: never for no_stream', () => {
    expect(duplicateScanBeforeAppend('no_stream', 1000)).toBe(0);
    expect(duplicateScanBeforeAppend('any', 1000)).toBe(1000);
    expect(duplicateScanBeforeAppend('stream_exists', 250)).toBe(250);
    expect(duplicateScanBeforeAppend(4, 250)).toBe(250);
  });

  it('appends to a new stream in one round trip, and scans the configured window otherwise', async () => {
    const { client, calls } = fakeClient({});
    const store = esdbEventStore(client, { duplicateScanWindow: 50 });
    stores.push(store);
    expect(await store.appendToStream('title-1', [newEvent()], { expectedRevision: 'no_stream' })).toEqual({
      nextExpectedRevision: 0,
      position: 9,
    });
    expect(calls.map((c) => c.method)).toEqual(['appendToStream']);
    calls.length = 0;
    await store.appendToStream('title-1', [newEvent()], { expectedRevision: 'any' });
    expect(calls.map((c) => c.method)).toEqual(['readStream', 'appendToStream']);
    expect(calls[0]?.args[1]).toMatchObject({ direction: BACKWARDS, maxCount: 50 });
  });

  it.each([
    'esdb://localhost:2113?tls=false&throwOnAppendFailure=false',
    'esdb://localhost:2113?ThrowOnAppendFailure=False&tls=false',
  ])('refuses %s when opened, saying what to change', async (url) => {
    expect(() => openEsdbEventStore(url)).toThrow(UnsupportedEsdbOption);
    await expect(openEventStore(url)).rejects.toThrow(/throwOnAppendFailure.*remove it/);
  });

  it('opens with throwOnAppendFailure=true or unset (the client connects on first use)', async () => {
    for (const url of ['esdb://localhost:2113?tls=false', 'esdb://localhost:2113?tls=false&throwOnAppendFailure=true'])
      stores.push(openEsdbEventStore(url));
  });
});

describe('EventStoreDB filtered reads', () => {
  const newestIs = (commit: number) => (options: { direction: unknown }) =>
    options.direction === BACKWARDS ? stream([resolved(commit)]) : stream([resolved(1), resolved(2)]);

  it('filter on the server (a filtered subscription from the position) and stop when it has caught up', async () => {
    let subscription: ReturnType<typeof stream> | undefined;
    const { client, calls } = fakeClient({
      readAll: newestIs(500),
      subscribeToAll: () => {
        subscription = stream([resolved(100), resolved(300, 'Created', 'title-2')], 'open');
        setImmediate(() => setImmediate(() => subscription?.emit('caughtUp')));
        return subscription;
      },
    });
    const store = esdbEventStore(client);
    stores.push(store);
    const events = await collect(store.readAll({ from: 50, filter: { eventTypes: ['Created'] } }));
    expect(events.map((e) => e.position)).toEqual([100, 300]);
    const subscribed = calls.find((c) => c.method === 'subscribeToAll')?.args[0] as {
      fromPosition: unknown;
      filter: { regex: string };
    };
    expect(subscribed.fromPosition).toEqual(at(50));
    expect(subscribed.filter.regex).toBe('^(?:Created)$');
    // $all itself is read only for its newest position, never streamed whole.
    expect(calls.filter((c) => c.method === 'readAll').map((c) => c.args[0])).toEqual([
      { direction: BACKWARDS, fromPosition: END, maxCount: 1 },
    ]);
  });

  it('stop at a filter checkpoint past the head, or at an event beyond it, without waiting for more', async () => {
    const byCheckpoint = fakeClient({
      readAll: newestIs(500),
      subscribeToAll: (options: { filter: { checkpointReached: (s: unknown, p: unknown) => void } }) => {
        const subscription = stream([resolved(100)], 'open');
        setImmediate(() => setImmediate(() => options.filter.checkpointReached(subscription, at(520))));
        return subscription;
      },
    });
    const first = esdbEventStore(byCheckpoint.client);
    stores.push(first);
    expect((await collect(first.readAll({ filter: { categories: ['title'] } }))).map((e) => e.position)).toEqual([100]);
    expect(byCheckpoint.calls.find((c) => c.method === 'subscribeToAll')?.args[0]).toMatchObject({
      fromPosition: START,
    });

    const byLaterEvent = fakeClient({
      readAll: newestIs(500),
      subscribeToAll: () => stream([resolved(100), resolved(500), resolved(700)], 'open'),
    });
    const second = esdbEventStore(byLaterEvent.client);
    stores.push(second);
    expect((await collect(second.readAll({ filter: { eventTypes: ['Created'] } }))).map((e) => e.position)).toEqual([
      100, 500,
    ]);
  });

  it('reads nothing from an empty log', async () => {
    const { client, calls } = fakeClient({ readAll: () => stream([]) });
    const store = esdbEventStore(client);
    stores.push(store);
    expect(await collect(store.readAll({ filter: { eventTypes: ['Created'] } }))).toEqual([]);
    expect(calls.some((c) => c.method === 'subscribeToAll')).toBe(false);
    expect(
      calls.some((c) => c.method === 'readAll' && (c.args[0] as { direction: unknown }).direction === FORWARDS),
    ).toBe(false);
  });
});

describe("EventStoreDB subscriptions from 'end'", () => {
  it('pin the end even when reading it first fails, and resubscribe after a drop from there, never from the moving end', async () => {
    let endReads = 0;
    const subscriptions: ReturnType<typeof stream>[] = [];
    const { client, calls } = fakeClient({
      readAll: () => (++endReads === 1 ? stream([], new Error('unavailable')) : stream([resolved(700)])),
      subscribeToAll: () => {
        const next =
          subscriptions.length === 0
            ? stream([], new Error('connection dropped'))
            : stream([resolved(750), resolved(800)], 'open');
        subscriptions.push(next);
        return next;
      },
    });
    const store = esdbEventStore(client);
    stores.push(store);
    const subscription = store.subscribe({ from: 'end' });
    const seen: number[] = [];
    for await (const event of subscription) {
      seen.push(event.position);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([750, 800]);
    const froms = calls
      .filter((c) => c.method === 'subscribeToAll')
      .map((c) => (c.args[0] as { fromPosition: unknown }).fromPosition);
    expect(froms).toEqual([at(700), at(700)]);
    expect(endReads).toBe(2);
  });
});
