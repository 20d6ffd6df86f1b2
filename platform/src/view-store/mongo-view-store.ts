import {
  type AnyBulkWriteOperation,
  BSON,
  type Db,
  type Filter,
  type IndexDescription,
  MongoClient,
  MongoServerError,
  type Sort,
} from 'mongodb';
import { boundedRuns, type TransactionBound } from './bounded-batches';
import {
  assertCollectionName,
  assertQuery,
  assertSpec,
  type CollectionSpec,
  decodeCursor,
  encodeCursor,
  type FieldValue,
  type FindQuery,
  InvalidViewQuery,
  UnknownCollection,
  type ViewDoc,
  type ViewStore,
} from './view-store';

/*
 * Each collection is a MongoDB collection `c_<name>` of { _id, position, body, search }: the body
 * is kept whole under `body` so its fields cannot clash with ours, and `search` is the lowercased
 * text field. Indexes mirror the SQLite adapter's (filter × sort pairs, each ending in _id for the
 * tie-break); equality on an array field already means "contains" in MongoDB, and its index is
 * multikey. Strings compare by simple binary comparison (no collation), as SQLite's BINARY does.
 */

type Stored = { _id: string; position: number; body: Record<string, unknown>; search?: string };
type CollectionEntry = { _id: string; spec: string };
type AliasEntry = { _id: string; collection: string };

const NamespaceExists = 48;
const DuplicateKey = 11000;
const hasCode = (error: unknown, code: number) => error instanceof MongoServerError && Number(error.code) === code;

/** The database the URL names; the driver would default to `test`, Marquee defaults to `marquee`. */
export const mongoDatabaseName = (url: string) => {
  // The host list cannot hold a raw "/" (the connection string format requires it percent-encoded).
  const path = /^mongodb(?:\+srv)?:\/\/[^/?#]*\/([^?#]*)/.exec(url)?.[1];
  return path ? decodeURIComponent(path) : 'marquee';
};

/** Older servers answer `create` on an existing collection with NamespaceExists; newer ones say ok. */
const createIfMissing = async (db: Db, name: string) => {
  try {
    await db.createCollection(name);
  } catch (error) {
    if (!hasCode(error, NamespaceExists)) throw error;
  }
};

const field = (name: string) => (name === 'id' ? '_id' : `body.${name}`);

const indexesFor = (spec: CollectionSpec): IndexDescription[] => {
  const entries = Object.entries(spec.indexes ?? {});
  const values = entries.filter(([, kind]) => kind === 'value').map(([name]) => name);
  const arrays = entries.filter(([, kind]) => kind === 'array').map(([name]) => name);
  const sorts = spec.sortFields ?? [];
  // Keyed by their fields, so a field both filtered and sorted on gets one index, not two.
  const indexes = new Map<string, IndexDescription>();
  const add = (...fields: string[]) =>
    indexes.set(fields.join(','), { key: Object.fromEntries(fields.map((f) => [f, 1 as const])) });
  for (const value of values) add(field(value), '_id');
  for (const array of arrays) add(field(array));
  for (const sort of sorts) add(field(sort), '_id');
  for (const value of values) for (const sort of sorts) if (sort !== value) add(field(value), field(sort), '_id');
  return [...indexes.values()];
};

const searchText = (spec: CollectionSpec, body: Record<string, unknown>) => {
  const text = spec.textField ? body[spec.textField] : undefined;
  return typeof text === 'string' ? text.toLowerCase() : undefined;
};

/** The needle as a literal pattern: a backslash before a non-alphanumeric makes it literal in PCRE. */
const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&').replaceAll('\0', '\\x00');

const isFieldValue = (value: unknown): value is FieldValue | null =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

const whereFilters = (where: Record<string, FieldValue>): Filter<Stored>[] =>
  Object.entries(where).map(([name, value]) => ({ [field(name)]: value }));

/** Consecutive operations on one collection, as one bulk write each. */
const byCollection = (run: readonly CollectionOperation[]) => {
  const groups: { name: string; operations: AnyBulkWriteOperation<Stored>[] }[] = [];
  for (const { name, operation } of run) {
    const last = groups.at(-1);
    if (last?.name === name) last.operations.push(operation);
    else groups.push({ name, operations: [operation] });
  }
  return groups;
};

const asViewDoc = <Body>(row: Stored): ViewDoc<Body> => ({
  id: row._id,
  position: row.position,
  body: row.body as Body,
});

const projection = { _id: 1, position: 1, body: 1 } as const;

/**
 * One transaction's share of a batch: well inside MongoDB's 60 s transaction lifetime and 16 MB
 * oplog entries, so a catch-up flush of 20,000 documents is several transactions.
 */
export const mongoTransactionBound: TransactionBound = { maxOperations: 1000, maxBytes: 8 * 1024 * 1024 };

/** Acknowledged by a majority, so a failover cannot roll back views a checkpoint has moved past. */
const majority = { writeConcern: { w: 'majority' as const } };

type CollectionOperation = { name: string; operation: AnyBulkWriteOperation<Stored> };
const operationSize = ({ operation }: CollectionOperation) =>
  'replaceOne' in operation ? BSON.calculateObjectSize(operation.replaceOne.replacement) : 64;

export const openMongoViewStore = async (url: string): Promise<ViewStore> => {
  // Undefined body fields are left out, as JSON.stringify leaves them out in SQLite, not stored as null.
  const client = new MongoClient(url, { ignoreUndefined: true });
  await client.connect();
  try {
    const db = client.db(mongoDatabaseName(url));
    // Collections must exist before a transaction writes them (implicit creation needs MongoDB 4.4+).
    for (const name of ['_collections', '_aliases']) await createIfMissing(db, name);
    return mongoViewStore(client, db);
  } catch (error) {
    await client.close();
    throw error;
  }
};

const mongoViewStore = (client: MongoClient, db: Db): ViewStore => {
  const meta = db.collection<CollectionEntry>('_collections');
  const aliases = db.collection<AliasEntry>('_aliases');
  // Only names found in `_collections` (so checked by assertCollectionName) reach a collection name.
  const docs = (name: string) => db.collection<Stored>(`c_${name}`);

  const specs = new Map<string, CollectionSpec>();
  const specOf = async (name: string): Promise<CollectionSpec> => {
    const known = specs.get(name);
    if (known) return known;
    const entry = await meta.findOne({ _id: name });
    if (!entry) throw new UnknownCollection(name);
    const spec = JSON.parse(entry.spec) as CollectionSpec;
    specs.set(name, spec);
    return spec;
  };

  const checkSameSpec = (name: string, stored: string, json: string) => {
    if (stored !== json)
      throw new InvalidViewQuery(`Collection ${name} exists with another spec; build a new collection instead.`);
  };

  return {
    ensureCollection: async (name, spec) => {
      assertCollectionName(name);
      assertSpec(spec);
      const json = JSON.stringify(spec);
      const existing = await meta.findOne({ _id: name });
      if (existing) return checkSameSpec(name, existing.spec, json);
      await createIfMissing(db, `c_${name}`);
      const indexes = indexesFor(spec);
      // createIndexes is a no-op for indexes that already exist with the same key and options.
      if (indexes.length > 0) await docs(name).createIndexes(indexes);
      try {
        await meta.insertOne({ _id: name, spec: json });
      } catch (error) {
        // Another process ensured it meanwhile: fine if it used the same spec.
        if (!hasCode(error, DuplicateKey)) throw error;
        const raced = await meta.findOne({ _id: name });
        if (raced) checkSameSpec(name, raced.spec, json);
      }
    },
    dropCollection: async (name) => {
      specs.delete(name);
      const entry = await meta.findOne({ _id: name });
      if (!entry) return;
      // Data first, then the entry: a crash in between leaves an entry for an empty collection, never
      // an orphan collection whose stale documents a later ensureCollection would adopt.
      await docs(name).drop(); // resolves false, not rejects, when the namespace does not exist
      await meta.deleteOne({ _id: name });
      specs.delete(name);
    },
    listCollections: async () =>
      (
        await meta
          .find({}, { projection: { _id: 1 } })
          .sort({ _id: 1 })
          .toArray()
      ).map((entry) => entry._id),
    get: async <Body>(name: string, id: string) => {
      await specOf(name);
      const row = await docs(name).findOne({ _id: id }, { projection });
      return row ? asViewDoc<Body>(row) : undefined;
    },
    getMany: async <Body>(name: string, ids: readonly string[]) => {
      await specOf(name);
      const found = new Map<string, ViewDoc<Body>>();
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await docs(name)
          .find({ _id: { $in: ids.slice(i, i + 500) } }, { projection })
          .toArray();
        for (const row of rows) found.set(row._id, asViewDoc<Body>(row));
      }
      return found;
    },
    find: async <Body>(name: string, query: FindQuery) => {
      const spec = await specOf(name);
      assertQuery(name, spec, query);
      const filters = whereFilters(query.where ?? {});
      // The stored text is lowercased, so a lowercased literal pattern is a case-insensitive substring.
      if (query.search !== undefined && query.search !== '')
        filters.push({ search: { $regex: escapeRegExp(query.search.toLowerCase()) } });
      const sort = query.sort ?? { field: 'id', direction: 'asc' };
      const key = field(sort.field);
      const [after, direction] = sort.direction === 'asc' ? (['$gt', 1] as const) : (['$lt', -1] as const);
      if (query.cursor) {
        const [value, id] = decodeCursor(query.cursor);
        if (!isFieldValue(value))
          throw new InvalidViewQuery('The cursor is not one this API gave out; start again from the first page.');
        if (sort.field === 'id') filters.push({ _id: { [after]: id } });
        else if (value === null)
          // A missing sort value sorts first (as null): ascending, everything non-null still follows.
          filters.push(
            sort.direction === 'asc'
              ? { $or: [{ [key]: { $ne: null } }, { [key]: null, _id: { [after]: id } }] }
              : { [key]: null, _id: { [after]: id } },
          );
        else filters.push({ $or: [{ [key]: { [after]: value } }, { [key]: value, _id: { [after]: id } }] });
      }
      const filter: Filter<Stored> =
        filters.length === 0 ? {} : filters.length === 1 ? (filters[0] as Filter<Stored>) : { $and: filters };
      const order: Sort = sort.field === 'id' ? { _id: direction } : { [key]: direction, _id: direction };
      const rows = await docs(name)
        .find(filter, { projection, sort: order, limit: query.limit + 1 })
        .toArray();
      const more = rows.length > query.limit;
      const page = more ? rows.slice(0, query.limit) : rows;
      const last = page.at(-1);
      let nextCursor: string | null = null;
      if (more && last) {
        const value = sort.field === 'id' ? last._id : last.body[sort.field];
        nextCursor = encodeCursor(isFieldValue(value) ? value : null, last._id);
      }
      return { items: page.map((row) => asViewDoc<Body>(row)), nextCursor };
    },
    count: async (name, where = {}) => {
      const spec = await specOf(name);
      assertQuery(name, spec, { where, limit: 1 });
      const filters = whereFilters(where);
      return docs(name).countDocuments(filters.length === 0 ? {} : { $and: filters });
    },
    writeBatch: async (writes) => {
      // Every collection is checked before anything is written, so an unknown one writes nothing.
      const operations: CollectionOperation[] = [];
      for (const write of writes) {
        const spec = await specOf(write.collection);
        const ofCollection: AnyBulkWriteOperation<Stored>[] = [
          ...write.upserts.map((doc): AnyBulkWriteOperation<Stored> => {
            const search = searchText(spec, doc.body);
            // The upsert takes _id from the equality filter; replacing drops a stale `search`.
            const replacement =
              search === undefined
                ? { position: doc.position, body: doc.body }
                : { position: doc.position, body: doc.body, search };
            return { replaceOne: { filter: { _id: doc.id }, replacement, upsert: true } };
          }),
          ...write.deletes.map((id): AnyBulkWriteOperation<Stored> => ({ deleteOne: { filter: { _id: id } } })),
        ];
        for (const operation of ofCollection) operations.push({ name: write.collection, operation });
      }
      // A batch beyond one transaction's bound is written as several, in order. Each document is
      // whole and carries its position, so a crash between two of them is repaired by replaying
      // from the checkpoint, as after a crash between a batch and its checkpoint.
      // withTransaction commits, or aborts and rejects; it reruns the callback on a transient error.
      for (const run of boundedRuns(operations, mongoTransactionBound, operationSize))
        await client.withSession((session) =>
          session.withTransaction(async () => {
            // In order and one at a time: operations in a transaction must not run in parallel.
            for (const { name, operations: ofName } of byCollection(run))
              await docs(name).bulkWrite(ofName, { session, ordered: true });
          }, majority),
        );
    },
    resolveAlias: async (alias) => (await aliases.findOne({ _id: alias }))?.collection,
    setAliases: async (entries) => {
      if (entries.length === 0) return;
      await client.withSession((session) =>
        session.withTransaction(async () => {
          await aliases.bulkWrite(
            entries.map(({ alias, collection }) => ({
              updateOne: { filter: { _id: alias }, update: { $set: { collection } }, upsert: true },
            })),
            { session, ordered: true },
          );
        }, majority),
      );
    },
    listAliases: async () =>
      (await aliases.find().sort({ _id: 1 }).toArray()).map((entry) => ({
        alias: entry._id,
        collection: entry.collection,
      })),
    close: async () => {
      await client.close();
    },
  };
};
