import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidEventStoreUrl, openEventStore, openSqliteDatabase } from '../src';
import { eventStoreContract } from './event-store.contract';

const freshUrl = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'marquee-events-')), 'events.db')}`;

eventStoreContract('SQLite', () => {
  const url = freshUrl();
  return { url, open: () => openEventStore(url) };
});

describe('SQLite event store setup', () => {
  it('is durable by default: WAL with synchronous FULL', () => {
    const db = openSqliteDatabase(freshUrl().slice('sqlite:'.length));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });
  it('creates the folder of a new database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-events-'));
    const store = await openEventStore(`sqlite:${join(dir, 'nested', 'deeper', 'events.db')}`);
    await store.appendToStream('title-1', [{ id: crypto.randomUUID(), type: 'X', data: {} }]);
    expect(await store.headPosition()).toBe(1);
    await store.close();
  });
});

describe('SQLite group commit', () => {
  it('an event that cannot be stored refuses its own append and no other in the group', async () => {
    const store = await openEventStore(freshUrl());
    const good = store.appendToStream('title-a', [{ id: crypto.randomUUID(), type: 'X', data: { n: 1 } }]);
    const bad = store.appendToStream('title-b', [
      { id: crypto.randomUUID(), type: 'X', data: { n: 1 } },
      { id: crypto.randomUUID(), type: 'X', data: { n: 10n } },
    ]);
    await expect(bad).rejects.toThrow(/BigInt/);
    await expect(good).resolves.toMatchObject({ nextExpectedRevision: 0 });
    expect(await store.headPosition()).toBe(1);
    await store.close();
  });
});

describe('picking the adapter by URL', () => {
  it.each([
    ['postgres://localhost/events', /scheme "postgres" is not one Marquee knows/],
    ['sqlite:', /names no database file/],
    ['events.db', /is not one Marquee knows/],
    ['esdb://', /not a well-formed connection string/],
  ])('refuses %s with a message that says what to use', async (url, why) => {
    const error = await openEventStore(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventStoreUrl);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).toMatch(/sqlite:\.\/data\/events\.db/);
  });
});

it('names a refused URL without its password', async () => {
  const error = await openEventStore('esdb://admin:s3cret-pass@eventstore:21x3?tls=false').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidEventStoreUrl);
  expect((error as Error).message).toContain('esdb://admin:***@eventstore:21x3');
  expect((error as Error).message).not.toContain('s3cret-pass');
});
