import type { EventStore } from './event-store';
import { createSqliteAppender } from './sqlite-append';
import { openSqliteDatabase, type SqliteEventStoreOptions } from './sqlite-database';
import { createKnownRevisions } from './sqlite-known-revisions';
import { createSqliteReader } from './sqlite-read';
import { createSqliteSubscriptions } from './sqlite-subscribe';

export { openSqliteDatabase, type SqliteEventStoreOptions } from './sqlite-database';

/** The embedded event store: one SQLite file (WAL), shared by every process on the machine. */
export const openSqliteEventStore = (path: string, options: SqliteEventStoreOptions = {}): EventStore => {
  const db = openSqliteDatabase(path, options);
  const pageSize = options.pageSize ?? 1000;
  const known = createKnownRevisions(db);
  const reader = createSqliteReader(db, known, pageSize);
  const subscriptions = createSqliteSubscriptions(reader, { pageSize, pollIntervalMs: options.pollIntervalMs ?? 20 });
  const appender = createSqliteAppender(db, known, subscriptions.notifyAppended);

  let closed = false;
  return {
    appendToStream: (streamName, events, appendOptions = {}) =>
      closed
        ? Promise.reject(new Error('The event store is closed.'))
        : appender.append(streamName, events, appendOptions.expectedRevision ?? 'any'),
    readStream: reader.readStream,
    readAll: reader.readAll,
    subscribe: subscriptions.subscribe,
    headPosition: async () => reader.headPosition(),
    countEventsAfter: async (position, atMost) => reader.countEventsAfter(position, atMost),
    close: async () => {
      if (closed) return;
      closed = true;
      appender.flushPending();
      subscriptions.closeAll();
      db.close();
    },
  };
};
