import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { RecordedEvent } from './event-store';

export type SqliteEventStoreOptions = {
  /** `FULL` (default) survives power loss; `NORMAL` survives a process crash only. */
  synchronous?: 'FULL' | 'NORMAL';
  /** How often a live subscription looks for appends made by other processes. */
  pollIntervalMs?: number;
  /** Events read per query when streaming. */
  pageSize?: number;
  /** How long a writer waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
};

/** The schema, shared with the benchmark's raw baseline so both measure the same work. */
export const sqliteEventsSchema = `
  CREATE TABLE IF NOT EXISTS events (
    position   INTEGER PRIMARY KEY,
    id         TEXT    NOT NULL,
    stream     TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    revision   INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    data       TEXT    NOT NULL,
    metadata   TEXT    NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream, revision);
  CREATE UNIQUE INDEX IF NOT EXISTS events_stream_id ON events (stream, id);
`;

/** Opens a database file with the store's durability settings (WAL, synchronous FULL by default). */
export const openSqliteDatabase = (
  path: string,
  options: Pick<SqliteEventStoreOptions, 'synchronous' | 'busyTimeoutMs'> = {},
): Database.Database => {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 10_000 });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.exec(sqliteEventsSchema);
  return db;
};

/** A row of `events` as the readers select it (raw, in `eventColumns` order). */
export type EventRow = [
  position: number,
  id: string,
  stream: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
  createdAt: number,
];

export const eventColumns = 'position, id, stream, revision, type, data, metadata, created_at';

export const toRecorded = (row: EventRow): RecordedEvent => ({
  position: row[0],
  id: row[1],
  streamName: row[2],
  revision: row[3],
  type: row[4],
  data: JSON.parse(row[5]),
  metadata: JSON.parse(row[6]),
  createdAt: new Date(row[7]),
});

/** The newest position, or 0 for an empty store. */
export const headStatement = (db: Database.Database) =>
  db.prepare<[], number>('SELECT coalesce(max(position), 0) FROM events').pluck();
