import { categoryOf } from '@marquee/domain';
import type Database from 'better-sqlite3';
import { originalOrConflict, refuseRepeatedIds, repeatedAppend } from './duplicate-events';
import {
  type AppendResult,
  type EventToAppend,
  type ExpectedRevision,
  PartialDuplicateAppend,
  revisionMatches,
  VersionConflict,
} from './event-store';
import { headStatement } from './sqlite-database';
import type { KnownRevisions } from './sqlite-known-revisions';

type PendingAppend = {
  streamName: string;
  events: readonly EventToAppend[];
  /** Each event's data and metadata as JSON, made before the append joins a group. */
  json: readonly [data: string, metadata: string][];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
};

/**
 * The SQLite store's appends, with group commit: appends made while a transaction is being
 * prepared share the next one, so one fsync covers many appenders. Each append keeps its own
 * expected-revision check, and `onCommitted` runs after each group (to wake local subscribers).
 */
export const createSqliteAppender = (db: Database.Database, known: KnownRevisions, onCommitted: () => void) => {
  const head = headStatement(db);
  const streamRevision = db.prepare('SELECT max(revision) FROM events WHERE stream = ?').pluck();
  const findById = db.prepare('SELECT revision, position FROM events WHERE stream = ? AND id = ?').raw();
  const insert = db.prepare(
    `INSERT INTO events (id, stream, category, revision, type, data, metadata, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (stream, id) DO NOTHING`,
  );

  /** The original result of an append whose ids are all in the stream already, or null if none are. */
  const originalAppend = (streamName: string, events: readonly EventToAppend[]): AppendResult | null => {
    const found = events.map((event) => {
      const row = findById.get(streamName, event.id) as [revision: number, position: number] | undefined;
      return row && { revision: row[0], position: row[1] };
    });
    const last = repeatedAppend(streamName, events, found);
    return last && { nextExpectedRevision: last.revision, position: last.position };
  };

  const currentRevision = (streamName: string): number | undefined => {
    const cached = known.get(streamName);
    if (cached !== undefined) return cached;
    const revision = streamRevision.get(streamName) as number | null;
    return revision ?? undefined;
  };

  /** Writes the append's events after revision `from`; null when its first event's id is in the stream already. */
  const insertEvents = (append: PendingAppend, from: number, now: number): AppendResult | null => {
    const category = categoryOf(append.streamName);
    let position = 0;
    let revision = from;
    for (const [i, event] of append.events.entries()) {
      revision++;
      const [data, metadata] = append.json[i] as [string, string];
      const info = insert.run(event.id, append.streamName, category, revision, event.type, data, metadata, now);
      if (info.changes === 0) {
        // Only a lone event's ids go unchecked before inserting, so only a first insert may find its id taken.
        if (i > 0)
          throw new Error(`Event ${event.id} is already in ${append.streamName}; nothing of the append is kept.`);
        return null;
      }
      position = Number(info.lastInsertRowid);
    }
    return { nextExpectedRevision: revision, position };
  };

  /*
   * Each append of a group is checked before it writes, so a refused one writes nothing and the
   * others go on: the ids of several events are looked up in an existing stream first (a retry
   * may even expect the stream's current revision, after another append moved it), so the
   * inserts themselves never fail for a client's reason. A lone event needs no lookup: its insert
   * skips an id already in the stream (the (stream, id) index), and the original answers.
   */
  const applyAppend = (append: PendingAppend, now: number): AppendResult => {
    const { streamName, events, expected } = append;
    const current = currentRevision(streamName);
    if (!revisionMatches(expected, current))
      return originalOrConflict(originalAppend(streamName, events), streamName, expected, current ?? 'no_stream');
    if (events.length === 0) return { nextExpectedRevision: current ?? -1, position: head.get() as number };
    if (current !== undefined && events.length > 1) {
      const original = originalAppend(streamName, events);
      if (original) return original;
    }
    const result = insertEvents(append, current ?? -1, now);
    if (!result) return originalAppend(streamName, events) as AppendResult;
    known.set(streamName, result.nextExpectedRevision);
    return result;
  };

  let pending: PendingAppend[] = [];
  let flushScheduled = false;
  const commitGroup = db.transaction((group: PendingAppend[]) => {
    known.beginWrite(head.get() as number);
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
    known.endWrite(head.get() as number);
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
      known.forget();
      for (const append of group) append.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const append = group[i] as PendingAppend;
      if (outcome.ok) append.resolve(outcome.result);
      else append.reject(outcome.error);
    });
    onCommitted();
  };

  return {
    append: (streamName: string, events: readonly EventToAppend[], expected: ExpectedRevision) =>
      new Promise<AppendResult>((resolve, reject) => {
        let json: [string, string][];
        try {
          refuseRepeatedIds(streamName, events);
          // Serialised here, so an event that cannot be refuses its own append, not its group's.
          json = events.map((event) => [JSON.stringify(event.data), JSON.stringify(event.metadata ?? {})]);
        } catch (error) {
          return reject(error);
        }
        pending.push({ streamName, events, json, expected, resolve, reject });
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flush);
        }
      }),
    /** Commits what is waiting now (on close). */
    flushPending: () => {
      if (pending.length > 0) flush();
    },
  };
};
