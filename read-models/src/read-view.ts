import { type FieldValue, type FindQuery, NotFound, ServiceUnavailable, type ViewStore } from '@marquee/platform';
import { z } from 'zod';
import { liveAlias, snapshotAlias } from './aliases';
import type { View } from './projection';

/** The projections have never built this view: the server's state, not the caller's mistake. */
export class ViewNotBuilt extends ServiceUnavailable {
  constructor(view: string) {
    super(`The ${view} view has not been built yet; start the projections service and try again.`, {
      code: 'ViewNotBuilt',
      details: { view },
    });
  }
}

export class SnapshotNotFound extends NotFound {
  constructor(snapshot: string) {
    super(
      `There is no snapshot "${snapshot}": asOf takes the name of a snapshot an analyst built (marquee snapshot), or leave it out to read the live views.`,
      { code: 'SnapshotNotFound', details: { snapshot } },
    );
  }
}

/**
 * For a reader that can do without a view (steering before any edge is known): the fallback
 * when the view was never built, and any other error as it was. `read().catch(unlessNotBuilt(x))`.
 */
export const unlessNotBuilt =
  <T>(fallback: T) =>
  (error: unknown): T => {
    if (error instanceof ViewNotBuilt) return fallback;
    throw error;
  };

export type ViewPage<Item> = { items: Item[]; nextCursor: string | null };

/** A page of a view as an API answers it, for the operation's response schema. */
export const viewPage = <Item extends z.ZodType>(item: Item) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Give it as `cursor` to read the next page; null on the last page.'),
  });

/**
 * Where a reader may keep results: `read` names the read within the collection, and `load`
 * answers it. A collection's name changes with every rebuild, so a key never outlives its view.
 */
export type ViewReadCache = <T>(collection: string, read: string, load: () => Promise<T>) => Promise<T>;

export type ViewReadOptions = {
  /** Read this time-travel snapshot instead of the live view. */
  snapshot?: string | undefined;
  cache?: ViewReadCache | undefined;
};

/** A view as its readers see it: the documents of the view, typed by the view's definition. */
export type ViewReader<Doc> = {
  get(id: string): Promise<Doc | undefined>;
  getMany(ids: readonly string[]): Promise<Map<string, Doc>>;
  /** A page of documents, each passed through `select` (what a cache keeps). */
  find<Item = Doc>(query: FindQuery, select?: (doc: Doc) => Item): Promise<ViewPage<Item>>;
  count(where?: Record<string, FieldValue>): Promise<number>;
};

// A select function is part of a find's cache key; each distinct function gets a number.
const selectors = new WeakMap<(doc: never) => unknown, number>();
let selectorCount = 0;
const selectorId = (select: (doc: never) => unknown) => {
  const known = selectors.get(select);
  if (known !== undefined) return known;
  const id = ++selectorCount;
  selectors.set(select, id);
  return id;
};
const unselected = <Doc>(doc: Doc) => doc;
const uncached: ViewReadCache = (_collection, _read, load) => load();

/**
 * Reads one view, live or a snapshot. Each read resolves the alias afresh, because a rebuild
 * swaps the live collection in place. A view never built is `ViewNotBuilt` (503), an unknown
 * snapshot `SnapshotNotFound` (404).
 */
export const readView = <Doc>(store: ViewStore, view: View<Doc>, options: ViewReadOptions = {}): ViewReader<Doc> => {
  const { snapshot, cache = uncached } = options;
  const read = async <T>(key: string, load: (collection: string) => Promise<T>): Promise<T> => {
    const alias = snapshot === undefined ? liveAlias(view) : snapshotAlias(view, snapshot);
    const collection = await store.resolveAlias(alias);
    if (!collection) throw snapshot === undefined ? new ViewNotBuilt(view.name) : new SnapshotNotFound(snapshot);
    return cache(collection, key, () => load(collection));
  };
  return {
    get: (id) => read(`get:${id}`, async (collection) => (await store.get<Doc>(collection, id))?.body),
    getMany: async (ids) => {
      if (ids.length === 0) return new Map();
      const unique = [...new Set(ids)];
      return read(`many:${JSON.stringify(unique)}`, async (collection) => {
        const docs = await store.getMany<Doc>(collection, unique);
        return new Map([...docs].map(([id, doc]) => [id, doc.body]));
      });
    },
    find: <Item = Doc>(query: FindQuery, select: (doc: Doc) => Item = unselected as (doc: Doc) => Item) =>
      read(`find:${selectorId(select)}:${JSON.stringify(query)}`, async (collection) => {
        const page = await store.find<Doc>(collection, query);
        return { items: page.items.map((doc) => select(doc.body)), nextCursor: page.nextCursor };
      }),
    count: (where) => read(`count:${JSON.stringify(where ?? {})}`, (collection) => store.count(collection, where)),
  };
};
