import type Database from 'better-sqlite3';
import type { EventFilter, ReadAllOptions, ReadStreamOptions, RecordedEvent } from './event-store';
import { type EventRow, eventColumns, headStatement, toRecorded } from './sqlite-database';
import type { KnownRevisions } from './sqlite-known-revisions';

// A filtered read scans this many positions per query, so a selective filter over a long log
// stays linear instead of sorting every match for each page.
const filteredScanWindow = 20_000;

/** The SQLite store's reads: a stream, the whole log, and the pages a subscription follows. */
export const createSqliteReader = (db: Database.Database, known: KnownRevisions, pageSize: number) => {
  const head = headStatement(db);
  const streamPage = db
    .prepare(`SELECT ${eventColumns} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`)
    .raw();
  const countAfter = db
    .prepare<[number, number], number>('SELECT count(*) FROM (SELECT 1 FROM events WHERE position > ? LIMIT ?)')
    .pluck();
  const allPage = db.prepare(`SELECT ${eventColumns} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw();

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
    const sql = `SELECT ${eventColumns} FROM events WHERE ${clauses.join(' AND ')} ORDER BY position LIMIT ?`;
    let statement = filteredStatements.get(sql);
    if (!statement) {
      if (filteredStatements.size > 100) filteredStatements.clear();
      statement = db.prepare(sql).raw();
      filteredStatements.set(sql, statement);
    }
    return statement.all(after, after + filteredScanWindow, ...params, limit) as EventRow[];
  };

  /**
   * One page of events after `after`, and how far the scan got: a filtered page may match
   * nothing yet still move the reader past a window of events it has ruled out.
   */
  const readPage = (after: number, filter: EventFilter | undefined, limit: number) => {
    if (!filter || (!filter.eventTypes && !filter.categories)) {
      const rows = allPage.all(after, limit) as EventRow[];
      const last = rows.at(-1);
      return { rows, scannedTo: last ? last[0] : after };
    }
    if (filter.eventTypes?.length === 0 || filter.categories?.length === 0) return { rows: [], scannedTo: after };
    // The head is read before the scan, so everything up to it is visible to the scan.
    const headNow = head.get() as number;
    const rows = filteredPage(after, filter, limit);
    const last = rows.at(-1);
    if (rows.length === limit && last) return { rows, scannedTo: last[0] };
    return { rows, scannedTo: Math.max(last ? last[0] : after, Math.min(after + filteredScanWindow, headNow)) };
  };

  async function* readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    let after = options.from === undefined || options.from === 'start' ? 0 : options.from;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const headNow = head.get() as number;
    while (remaining > 0 && after < headNow) {
      const { rows, scannedTo } = readPage(after, options.filter, Math.min(pageSize, remaining));
      for (const row of rows) yield toRecorded(row);
      remaining -= rows.length;
      after = scannedTo;
    }
  }

  async function* readStream(streamName: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    let from = options.fromRevision ?? 0;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    // Catching a cached aggregate up: nothing past the revision this process wrote last, unless
    // another process wrote since.
    const knownRevision = known.get(streamName);
    if (knownRevision !== undefined && from > knownRevision && known.stillValid()) return;
    while (remaining > 0) {
      const rows = streamPage.all(streamName, from, Math.min(pageSize, remaining)) as EventRow[];
      for (const row of rows) yield toRecorded(row);
      if (rows.length < Math.min(pageSize, remaining)) return;
      remaining -= rows.length;
      from = (rows.at(-1) as EventRow)[3] + 1;
    }
  }

  return {
    readAll,
    readStream,
    readPage,
    headPosition: () => head.get() as number,
    countEventsAfter: (position: number, atMost: number) =>
      atMost <= 0 ? 0 : (countAfter.get(position, atMost) as number),
  };
};

export type SqliteReader = ReturnType<typeof createSqliteReader>;
