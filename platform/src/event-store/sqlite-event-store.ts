import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { categoryOf } from '@marquee/domain';
import Database from 'better-sqlite3';
import {
  type AppendResult,
  type EventFilter,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  PartialDuplicateAppend,
  type RecordedEvent,
  revisionMatches,
  type Subscription,
  VersionConflict,
} from './event-store';

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

type Row = [
  position: number,
  id: string,
  stream: string,
  revision: number,
  type: string,
  data: string,
  metadata: string,
  createdAt: number,
];

const columns = 'position, id, stream, revision, type, data, metadata, created_at';

const toRecorded = (row: Row): RecordedEvent => ({
  position: row[0],
  id: row[1],
  streamName: row[2],
  revision: row[3],
  type: row[4],
  data: JSON.parse(row[5]),
  metadata: JSON.parse(row[6]),
  createdAt: new Date(row[7]),
});

type PendingAppend = {
  streamName: string;
  events: readonly EventToAppend[];
  /** Each event's data and metadata as JSON, made before the append joins a group. */
  json: readonly [data: string, metadata: string][];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
};

// A filtered read scans this many positions per query, so a selective filter over a long log
// stays linear instead of sorting every match for each page.
const filteredScanWindow = 20_000;
const maxCachedStreams = 50_000;

export const openSqliteEventStore = (path: string, options: SqliteEventStoreOptions = {}): EventStore => {
  const db = openSqliteDatabase(path, options);
  const pageSize = options.pageSize ?? 1000;
  const pollIntervalMs = options.pollIntervalMs ?? 20;

  const statements = {
    head: db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck(),
    streamRevision: db.prepare('SELECT max(revision) FROM events WHERE stream = ?').pluck(),
    findById: db.prepare('SELECT revision, position FROM events WHERE stream = ? AND id = ?').raw(),
    insert: db.prepare(
      'INSERT INTO events (id, stream, category, revision, type, data, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    readStream: db
      .prepare(`SELECT ${columns} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`)
      .raw(),
    readAll: db.prepare(`SELECT ${columns} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(),
  };

  // Stream revisions known to this process. They stay valid while no other process has
  // written: each write transaction first checks that the head is where this process left it,
  // and a read checks `data_version`, which moves only when another connection commits.
  const revisions = new Map<string, number>();
  let headWrittenHere = -1;
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenDataVersion = dataVersion.get();
  const revisionsStillKnown = () => {
    const now = dataVersion.get();
    if (now === seenDataVersion) return true;
    seenDataVersion = now;
    revisions.clear();
    return false;
  };

  /** The original result of an append whose ids are all in the stream already, or null if none are. */
  const originalAppend = (streamName: string, events: readonly EventToAppend[]): AppendResult | null => {
    const found = events.map((event) => statements.findById.get(streamName, event.id) as [number, number] | undefined);
    const present = found.filter((row) => row !== undefined);
    if (present.length === 0) return null;
    if (present.length < events.length)
      throw new PartialDuplicateAppend(
        streamName,
        events.filter((_, i) => found[i] !== undefined).map((e) => e.id),
      );
    const last = present.reduce((a, b) => (b[1] > a[1] ? b : a));
    return { nextExpectedRevision: last[0], position: last[1] };
  };

  const currentRevision = (streamName: string): number | undefined => {
    const cached = revisions.get(streamName);
    if (cached !== undefined) return cached;
    const revision = statements.streamRevision.get(streamName) as number | null;
    return revision ?? undefined;
  };

  const insertEvents = (append: PendingAppend, from: number, now: number): AppendResult => {
    const category = categoryOf(append.streamName);
    let position = 0;
    let revision = from;
    for (const [i, event] of append.events.entries()) {
      revision++;
      const [data, metadata] = append.json[i] as [string, string];
      const info = statements.insert.run(
        event.id,
        append.streamName,
        category,
        revision,
        event.type,
        data,
        metadata,
        now,
      );
      position = Number(info.lastInsertRowid);
    }
    return { nextExpectedRevision: revision, position };
  };

  /*
   * Each append of a group is checked before it writes, so a refused one writes nothing and the
   * others go on: its ids are looked up in an existing stream first (a retry may even expect
   * the stream's current revision, after another append moved it), so the inserts themselves
   * never fail for a client's reason.
   */
  const applyAppend = (append: PendingAppend, now: number): AppendResult => {
    const { streamName, events, expected } = append;
    const current = currentRevision(streamName);
    if (!revisionMatches(expected, current)) {
      const original = originalAppend(streamName, events);
      if (original) return original;
      throw new VersionConflict(streamName, expected, current ?? 'no_stream');
    }
    if (events.length === 0) return { nextExpectedRevision: current ?? -1, position: statements.head.get() as number };
    if (current !== undefined) {
      const original = originalAppend(streamName, events);
      if (original) return original;
    }
    const result = insertEvents(append, current ?? -1, now);
    revisions.set(streamName, result.nextExpectedRevision);
    return result;
  };

  // Group commit: appends made while a transaction is being prepared share the next one,
  // so one fsync covers many appenders. Each append keeps its own expected-revision check.
  let pending: PendingAppend[] = [];
  let flushScheduled = false;
  const commitGroup = db.transaction((group: PendingAppend[]) => {
    const head = statements.head.get() as number;
    if (head !== headWrittenHere || revisions.size > maxCachedStreams) revisions.clear();
    const now = Date.now();
    const outcomes = group.map((append) => {
      try {
        return { ok: true as const, result: applyAppend(append, now) };
      } catch (error) {
        // A refusal is decided before its append writes anything; any other failure may have
        // written part of an append, so it undoes the whole group (every append is rejected).
        if (error instanceof VersionConflict || error instanceof PartialDuplicateAppend)
          return { ok: false as const, error };
        throw error;
      }
    });
    headWrittenHere = statements.head.get() as number;
    return outcomes;
  });

  const flush = () => {
    flushScheduled = false;
    const group = pending;
    pending = [];
    let outcomes: ReturnType<typeof commitGroup>;
    try {
      outcomes = commitGroup.immediate(group);
    } catch (error) {
      revisions.clear();
      for (const append of group) append.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const append = group[i] as PendingAppend;
      if (outcome.ok) append.resolve(outcome.result);
      else append.reject(outcome.error);
    });
    notifyAppended();
  };

  // Local subscribers wake at once on an append here; appends by other processes are polled.
  let waiters: (() => void)[] = [];
  const notifyAppended = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  const appendedOrTimeout = (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, pollIntervalMs);
      signal.addEventListener('abort', done, { once: true });
      waiters.push(done);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        // An idle subscriber polls for ever: each wait must leave nothing behind.
        const index = waiters.indexOf(done);
        if (index !== -1) waiters.splice(index, 1);
        resolve();
      }
    });

  const filteredStatements = new Map<string, Database.Statement>();
  const filteredPage = (after: number, filter: EventFilter, limit: number) => {
    const clauses = ['position > ?', 'position <= ?'];
    const params: (string | number)[] = [];
    if (filter.eventTypes) {
      clauses.push(`type IN (${filter.eventTypes.map(() => '?').join(', ')})`);
      params.push(...filter.eventTypes);
    }
    if (filter.categories) {
      clauses.push(`category IN (${filter.categories.map(() => '?').join(', ')})`);
      params.push(...filter.categories);
    }
    const sql = `SELECT ${columns} FROM events WHERE ${clauses.join(' AND ')} ORDER BY position LIMIT ?`;
    let statement = filteredStatements.get(sql);
    if (!statement) {
      if (filteredStatements.size > 100) filteredStatements.clear();
      statement = db.prepare(sql).raw();
      filteredStatements.set(sql, statement);
    }
    return statement.all(after, after + filteredScanWindow, ...params, limit) as Row[];
  };

  /**
   * One page of events after `after`, and how far the scan got: a filtered page may match
   * nothing yet still move the reader past a window of events it has ruled out.
   */
  const readPage = (after: number, filter: EventFilter | undefined, limit: number) => {
    if (!filter || (!filter.eventTypes && !filter.categories)) {
      const rows = statements.readAll.all(after, limit) as Row[];
      const last = rows.at(-1);
      return { rows, scannedTo: last ? last[0] : after };
    }
    if (filter.eventTypes?.length === 0 || filter.categories?.length === 0) return { rows: [], scannedTo: after };
    // The head is read before the scan, so everything up to it is visible to the scan.
    const head = statements.head.get() as number;
    const rows = filteredPage(after, filter, limit);
    const last = rows.at(-1);
    if (rows.length === limit && last) return { rows, scannedTo: last[0] };
    return { rows, scannedTo: Math.max(last ? last[0] : after, Math.min(after + filteredScanWindow, head)) };
  };

  async function* readAll(options: Parameters<EventStore['readAll']>[0] = {}): AsyncGenerator<RecordedEvent> {
    let after = options.from === undefined || options.from === 'start' ? 0 : options.from;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const head = statements.head.get() as number;
    while (remaining > 0 && after < head) {
      const { rows, scannedTo } = readPage(after, options.filter, Math.min(pageSize, remaining));
      for (const row of rows) yield toRecorded(row);
      remaining -= rows.length;
      after = scannedTo;
    }
  }

  async function* readStream(
    streamName: string,
    options: Parameters<EventStore['readStream']>[1] = {},
  ): AsyncGenerator<RecordedEvent> {
    let from = options.fromRevision ?? 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    // Catching a cached aggregate up: nothing past the revision this process wrote last, unless
    // another process wrote since.
    const known = revisions.get(streamName);
    if (known !== undefined && from > known && revisionsStillKnown()) return;
    while (remaining > 0) {
      const rows = statements.readStream.all(streamName, from, Math.min(pageSize, remaining)) as Row[];
      for (const row of rows) yield toRecorded(row);
      if (rows.length < Math.min(pageSize, remaining)) return;
      remaining -= rows.length;
      from = (rows.at(-1) as Row)[3] + 1;
    }
  }

  const subscriptions = new Set<AbortController>();
  const subscribe = (options: Parameters<EventStore['subscribe']>[0] = {}): Subscription => {
    const stop = new AbortController();
    subscriptions.add(stop);
    stop.signal.addEventListener('abort', () => subscriptions.delete(stop), { once: true });
    const from = options.from ?? 'start';
    async function* live(): AsyncGenerator<RecordedEvent> {
      let after = from === 'start' ? 0 : from === 'end' ? (statements.head.get() as number) : from;
      while (!stop.signal.aborted) {
        let page: ReturnType<typeof readPage>;
        try {
          page = readPage(after, options.filter, pageSize);
        } catch (error) {
          // A locked or briefly unreadable file: wait and read again from the same place.
          if (!(error instanceof Error) || !('code' in error) || !String(error.code).startsWith('SQLITE_BUSY'))
            throw error;
          await sleep(pollIntervalMs * 5);
          continue;
        }
        for (const row of page.rows) {
          if (stop.signal.aborted) return;
          yield toRecorded(row);
        }
        if (page.scannedTo === after) await appendedOrTimeout(stop.signal);
        after = page.scannedTo;
      }
    }
    const iterator = live();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        stop.abort();
      },
    };
  };

  let closed = false;
  return {
    appendToStream: (streamName, events, appendOptions = {}) =>
      new Promise<AppendResult>((resolve, reject) => {
        if (closed) return reject(new Error('The event store is closed.'));
        const ids = new Set(events.map((e) => e.id));
        if (ids.size !== events.length)
          return reject(new Error(`An append to ${streamName} names the same event id twice.`));
        let json: [string, string][];
        try {
          // Serialised here, so an event that cannot be refuses its own append, not its group's.
          json = events.map((event) => [JSON.stringify(event.data), JSON.stringify(event.metadata ?? {})]);
        } catch (error) {
          return reject(error);
        }
        pending.push({ streamName, events, json, expected: appendOptions.expectedRevision ?? 'any', resolve, reject });
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flush);
        }
      }),
    readStream,
    readAll,
    subscribe,
    headPosition: async () => statements.head.get() as number,
    close: async () => {
      if (closed) return;
      closed = true;
      if (pending.length > 0) flush();
      for (const subscription of subscriptions) subscription.abort();
      db.close();
    },
  };
};
