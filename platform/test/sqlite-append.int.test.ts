import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EventStore, type EventToAppend, openSqliteEventStore, type RecordedEvent } from '../src';

const event = (): EventToAppend => ({ id: crypto.randomUUID(), type: 'X', data: {} });
const streamOf = async (store: EventStore, stream: string) => {
  const all: RecordedEvent[] = [];
  for await (const recorded of store.readStream(stream)) all.push(recorded);
  return all;
};

let store: EventStore;
beforeEach(() => {
  store = openSqliteEventStore(join(mkdtempSync(join(tmpdir(), 'marquee-append-')), 'events.db'));
});
afterEach(() => store.close());

// A lone event skips the id lookup and lets the (stream, id) index find a repeat: the same
// answers as the lookup gives several events.
describe('SQLite appends of one event to an existing stream', () => {
  it('a retry expecting the current revision writes nothing and answers with the original', async () => {
    await store.appendToStream('title-1', [event()]);
    const lone = event();
    const first = await store.appendToStream('title-1', [lone], { expectedRevision: 0 });
    expect(await store.appendToStream('title-1', [lone], { expectedRevision: 1 })).toEqual(first);
    expect(await store.appendToStream('title-1', [lone])).toEqual(first);
    await store.appendToStream('title-1', [event()]);
    expect(await store.appendToStream('title-1', [lone], { expectedRevision: 2 })).toEqual(first);
    expect((await streamOf(store, 'title-1')).map((e) => e.revision)).toEqual([0, 1, 2]);
  });
  it('a repeat in a group leaves the other appends of the group written, and the revisions known', async () => {
    const lone = event();
    await store.appendToStream('title-1', [event(), lone]);
    const [again, other, next] = await Promise.all([
      store.appendToStream('title-1', [lone], { expectedRevision: 1 }),
      store.appendToStream('title-2', [event()]),
      store.appendToStream('title-1', [event()], { expectedRevision: 1 }),
    ]);
    expect(again).toMatchObject({ nextExpectedRevision: 1 });
    expect(other).toMatchObject({ nextExpectedRevision: 0 });
    expect(next).toMatchObject({ nextExpectedRevision: 2 });
    expect(await store.appendToStream('title-1', [event()], { expectedRevision: 2 })).toMatchObject({
      nextExpectedRevision: 3,
    });
    expect(await store.headPosition()).toBe(5);
  });
});
