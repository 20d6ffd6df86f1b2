/**
 * The view store port: documents by id in named collections, queried by equality on declared
 * fields, sorted, paged by cursor, searched, and written in atomic batches. Where a projection
 * has got to is its checkpoint, kept by the checkpoint port, not here.
 *
 * Collections are physical; an alias (`catalog`) names the one that is live, so a rebuild can
 * fill a fresh collection and swap it in at once (blue/green), and a snapshot is an alias too.
 */

/** A document and the position of the last event applied to it. */
export type ViewDoc<Body = Record<string, unknown>> = { id: string; position: number; body: Body };

export type CollectionSpec = {
  /** Fields queryable by equality. `array` fields hold arrays and match when they contain the value. */
  indexes?: Record<string, 'value' | 'array'>;
  /** Fields a query may sort by (besides `id`). They should always hold a value. */
  sortFields?: readonly string[];
  /** The field searched, case-insensitively, by substring. */
  textField?: string;
};

export type FieldValue = string | number | boolean;

export type FindQuery = {
  /** Equality on indexed fields, all of which must hold. */
  where?: Record<string, FieldValue>;
  /** A case-insensitive substring of the collection's text field. */
  search?: string;
  sort?: { field: string; direction: 'asc' | 'desc' };
  limit: number;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
};

export type Page<Body = Record<string, unknown>> = { items: ViewDoc<Body>[]; nextCursor: string | null };

export type CollectionWrite = { collection: string; upserts: readonly ViewDoc[]; deletes: readonly string[] };

export interface ViewStore {
  /** Creates the collection with its indexes, or checks an existing one has this spec. */
  ensureCollection(name: string, spec: CollectionSpec): Promise<void>;
  dropCollection(name: string): Promise<void>;
  listCollections(): Promise<string[]>;
  get<Body = Record<string, unknown>>(collection: string, id: string): Promise<ViewDoc<Body> | undefined>;
  getMany<Body = Record<string, unknown>>(
    collection: string,
    ids: readonly string[],
  ): Promise<Map<string, ViewDoc<Body>>>;
  find<Body = Record<string, unknown>>(collection: string, query: FindQuery): Promise<Page<Body>>;
  count(collection: string, where?: Record<string, FieldValue>): Promise<number>;
  /**
   * Every write, all or nothing, up to the adapter's transaction bound (MongoDB: 1000 operations
   * or 8 MB); a larger batch is written as several transactions in order. Either way a document
   * is written whole with its position, which is what the projector relies on.
   */
  writeBatch(writes: readonly CollectionWrite[]): Promise<void>;
  resolveAlias(alias: string): Promise<string | undefined>;
  /** Points every alias at its collection in one atomic step. */
  setAliases(entries: readonly { alias: string; collection: string }[]): Promise<void>;
  listAliases(): Promise<{ alias: string; collection: string }[]>;
  close(): Promise<void>;
}

/** A query names a field the collection did not declare, or a bad cursor: the caller's mistake. */
export class InvalidViewQuery extends Error {
  readonly code = 'InvalidViewQuery';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidViewQuery';
  }
}

export class UnknownCollection extends Error {
  readonly code = 'UnknownCollection';
  constructor(readonly collection: string) {
    super(`There is no view collection "${collection}".`);
    this.name = 'UnknownCollection';
  }
}

const fieldName = /^[A-Za-z][A-Za-z0-9_]*$/;
const collectionName = /^[A-Za-z0-9][A-Za-z0-9_-]{0,100}$/;

export const assertCollectionName = (name: string) => {
  if (!collectionName.test(name)) throw new InvalidViewQuery(`"${name}" is not a valid collection name.`);
};

export const assertSpec = (spec: CollectionSpec) => {
  const fields = [
    ...Object.keys(spec.indexes ?? {}),
    ...(spec.sortFields ?? []),
    ...(spec.textField ? [spec.textField] : []),
  ];
  for (const field of fields)
    if (!fieldName.test(field)) throw new InvalidViewQuery(`"${field}" is not a valid field name.`);
};

/** Checks a query against the collection's spec, so both adapters refuse the same mistakes. */
export const assertQuery = (collection: string, spec: CollectionSpec, query: FindQuery) => {
  for (const field of Object.keys(query.where ?? {}))
    if (!spec.indexes?.[field])
      throw new InvalidViewQuery(
        `"${field}" cannot be filtered in ${collection}; filterable fields: ${Object.keys(spec.indexes ?? {}).join(', ') || 'none'}.`,
      );
  if (query.sort && query.sort.field !== 'id' && !spec.sortFields?.includes(query.sort.field))
    throw new InvalidViewQuery(
      `"${query.sort.field}" cannot be sorted on in ${collection}; sortable fields: ${['id', ...(spec.sortFields ?? [])].join(', ')}.`,
    );
  if (query.search !== undefined && !spec.textField)
    throw new InvalidViewQuery(`${collection} has no searchable text field.`);
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 1000)
    throw new InvalidViewQuery('limit must be a whole number from 1 to 1000.');
};

/** Keyset cursors: the sort value and id of the last item, opaque to clients. */
export const encodeCursor = (value: FieldValue | null, id: string) =>
  Buffer.from(JSON.stringify([value, id])).toString('base64url');

const isCursorValue = (value: unknown): value is FieldValue | null =>
  value === null ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

/** The sort value and id `encodeCursor` wrote; every sortable type comes back as it went in. */
export const decodeCursor = (cursor: string): [FieldValue | null, string] => {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    const [value, id] = Array.isArray(decoded) && decoded.length === 2 ? decoded : [];
    if (typeof id === 'string' && isCursorValue(value)) return [value, id];
  } catch {}
  throw new InvalidViewQuery('The cursor is not one this API gave out; start again from the first page.');
};
