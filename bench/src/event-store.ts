// bench/event-store: the project's SQLite event store against raw better-sqlite3 on the same
// schema and durability (WAL, synchronous FULL), in one run.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore, openSqliteDatabase, openSqliteEventStore } from '@marquee/platform';
import { type Comparison, result } from './report';

const concurrentAppenders = 64;
const appendSeconds = 3;
const readEvents = 200_000;

const payload = (n: number) => ({
  sessionId: `s-${n % 997}`,
  accountId: `a-${n % 331}`,
  profileId: `p-${n % 5}`,
  titleId: `t-${n % 50}`,
  positionSeconds: n % 7200,
  at: new Date(1_764_000_000_000 + n * 1000).toISOString(),
});
const metadata = { schemaVersion: 1 };

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'marquee-bench-')), 'events.db');
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Raw ceiling: prepared INSERTs, 1000 to a transaction, for `appendSeconds`. */
const rawBatchedInserts = () => {
  const path = freshPath();
  const db = openSqliteDatabase(path);
  const insert = db.prepare(
    'INSERT INTO events (id, stream, category, revision, type, data, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const revisions = new Array<number>(concurrentAppenders).fill(-1);
  let n = 0;
  const batch = db.transaction(() => {
    for (let i = 0; i < 1000; i++, n++) {
      const lane = n % concurrentAppenders;
      revisions[lane] = (revisions[lane] as number) + 1;
      insert.run(
        randomUUID(),
        `playback-${lane}`,
        'playback',
        revisions[lane],
        'PlaybackProgressed',
        JSON.stringify(payload(n)),
        JSON.stringify(metadata),
        Date.now(),
      );
    }
  });
  const start = process.hrtime.bigint();
  while (seconds(start) < appendSeconds) batch();
  const rate = n / seconds(start);
  db.close();
  rmSync(path, { force: true });
  return rate;
};

/** The project: `appenders` loops, each appending one event at a time to its own stream with its exact revision. */
const projectAppends = async (appenders: number) => {
  const path = freshPath();
  const store = openSqliteEventStore(path);
  let n = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: appenders }, async (_, lane) => {
      let revision: number | 'no_stream' = 'no_stream';
      while (seconds(start) < appendSeconds) {
        const i = n++;
        const appended = await store.appendToStream(
          `playback-${lane}`,
          [{ id: randomUUID(), type: 'PlaybackProgressed', data: payload(i), metadata }],
          { expectedRevision: revision },
        );
        revision = appended.nextExpectedRevision;
      }
    }),
  );
  const rate = n / seconds(start);
  await store.close();
  rmSync(path, { force: true });
  return rate;
};

const fillForReading = async () => {
  const path = freshPath();
  const store = openSqliteEventStore(path, { synchronous: 'NORMAL' });
  for (let start = 0; start < readEvents; start += 1000)
    await store.appendToStream(
      `playback-${start / 1000}`,
      Array.from({ length: 1000 }, (_, i) => ({
        id: randomUUID(),
        type: 'PlaybackProgressed',
        data: payload(start + i),
        metadata,
      })),
    );
  await store.close();
  return path;
};

const rawRead = (path: string) => {
  const db = openSqliteDatabase(path);
  const select = db
    .prepare('SELECT position, id, stream, revision, type, data, metadata, created_at FROM events ORDER BY position')
    .raw();
  const start = process.hrtime.bigint();
  let count = 0;
  let checksum = 0;
  for (const row of select.iterate() as IterableIterator<unknown[]>) {
    const data = JSON.parse(row[5] as string);
    const meta = JSON.parse(row[6] as string);
    checksum += data.positionSeconds + meta.schemaVersion;
    count++;
  }
  const rate = count / seconds(start);
  db.close();
  if (count !== readEvents || checksum === 0) throw new Error(`raw read saw ${count} events`);
  return rate;
};

const projectRead = async (store: EventStore) => {
  const start = process.hrtime.bigint();
  let count = 0;
  let checksum = 0;
  for await (const event of store.readAll()) {
    checksum += (event.data.positionSeconds as number) + (event.metadata.schemaVersion as number);
    count++;
  }
  const rate = count / seconds(start);
  if (count !== readEvents || checksum === 0) throw new Error(`readAll saw ${count} events`);
  return rate;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export const eventStoreBenchmark = async () => {
  const raw = rawBatchedInserts();
  const single = await projectAppends(1);
  const concurrent = await projectAppends(concurrentAppenders);

  const path = await fillForReading();
  const store = openSqliteEventStore(path);
  const reads = { raw: [] as number[], project: [] as number[] };
  for (let round = 0; round < 3; round++) {
    reads.raw.push(rawRead(path));
    reads.project.push(await projectRead(store));
  }
  await store.close();
  rmSync(path, { force: true });

  const comparisons: Comparison[] = [
    {
      what: `appends, ${concurrentAppenders} concurrent appenders`,
      unit: 'events/s',
      project: concurrent,
      baseline: raw,
      baselineName: 'raw better-sqlite3 INSERTs, 1000 per transaction',
      target: 0.4,
    },
    {
      what: 'appends, 1 appender',
      unit: 'events/s',
      project: single,
      baseline: raw,
      baselineName: 'raw better-sqlite3 INSERTs, 1000 per transaction',
    },
    {
      what: `readAll over ${readEvents.toLocaleString('en-US')} events`,
      unit: 'events/s',
      project: median(reads.project),
      baseline: median(reads.raw),
      baselineName: 'raw SELECT + JSON.parse loop',
      target: 0.7,
    },
  ];
  return result('event-store', comparisons, {
    durability: 'WAL, synchronous=FULL',
    appendSeconds,
    concurrentAppenders,
    readEvents,
  });
};
