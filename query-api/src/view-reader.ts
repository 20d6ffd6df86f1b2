import { type CheckpointStore, type FindQuery, NotFound, ServiceUnavailable, type ViewStore } from '@marquee/platform';
import { type AnyProjection, liveAlias, snapshotAlias } from '@marquee/projections';
import { LRUCache } from 'lru-cache';

export class SnapshotNotFound extends NotFound {
  constructor(snapshot: string) {
    super(
      `There is no snapshot "${snapshot}": asOf takes the name of a snapshot an analyst built (marquee snapshot), or leave it out to read the live views.`,
      { code: 'SnapshotNotFound', details: { snapshot } },
    );
  }
}

/** The projections have never built this view: the server's state, not the caller's mistake. */
export class ViewNotBuilt extends ServiceUnavailable {
  constructor(view: string) {
    super(`The ${view} view has not been built yet; start the projections service and try again.`, {
      code: 'ViewNotBuilt',
      details: { view },
    });
  }
}

/** For the docs of an operation that reads views: what its 404 and 503 mean. */
export const viewReadErrors = {
  404: 'The id, or the asOf snapshot, is unknown.',
  503: 'The view has not been built yet, or a rebuild swapped it mid-read; try again.',
};

/*
 * Reads are cached by the collection and its checkpoint: a view only changes when its
 * projection writes, which moves the checkpoint, so a cached read is never stale. Browse pages
 * are the same for every viewer, so most of them are served from here.
 */
const selectors = new WeakMap<(doc: never) => unknown, number>();
let selectorCount = 0;
const selectorId = (select: (doc: never) => unknown) => {
  const known = selectors.get(select);
  if (known !== undefined) return known;
  const id = ++selectorCount;
  selectors.set(select, id);
  return id;
};
const caches = new WeakMap<ViewStore, LRUCache<string, { value: unknown }>>();
const cacheOf = (viewStore: ViewStore) => {
  const known = caches.get(viewStore);
  if (known) return known;
  const cache = new LRUCache<string, { value: unknown }>({ max: 5000 });
  caches.set(viewStore, cache);
  return cache;
};

export type ViewPage<Doc> = { items: Doc[]; nextCursor: string | null };

/**
 * The views as one request reads them: live, or a named snapshot when `asOf` is given.
 * Each read resolves the alias afresh, because a rebuild swaps the live collection in place.
 */
export const readViews = (
  { viewStore, checkpoints }: { viewStore: ViewStore; checkpoints: CheckpointStore },
  asOf: string | undefined,
) => {
  const collectionOf = async (projection: AnyProjection) => {
    const collection = await viewStore.resolveAlias(
      asOf === undefined ? liveAlias(projection) : snapshotAlias(projection, asOf),
    );
    if (collection) return collection;
    throw asOf === undefined ? new ViewNotBuilt(projection.name) : new SnapshotNotFound(asOf);
  };
  const cache = cacheOf(viewStore);
  /** The read's result, from the cache while the collection's checkpoint has not moved. */
  const cached = async <T>(projection: AnyProjection, read: string, load: (collection: string) => Promise<T>) => {
    const collection = await collectionOf(projection);
    const checkpoint = await checkpoints.load(collection);
    if (!checkpoint) return load(collection);
    const key = `${collection}@${checkpoint.position}:${read}`;
    const hit = cache.get(key);
    if (hit) return hit.value as T;
    const value = await load(collection);
    cache.set(key, { value });
    return value;
  };
  return {
    get: <Doc>(projection: AnyProjection, id: string): Promise<Doc | undefined> =>
      cached(projection, `get:${id}`, async (collection) => (await viewStore.get<Doc>(collection, id))?.body),
    getMany: async <Doc>(projection: AnyProjection, ids: readonly string[]): Promise<Map<string, Doc>> => {
      if (ids.length === 0) return new Map();
      const unique = [...new Set(ids)];
      return cached(projection, `many:${JSON.stringify(unique)}`, async (collection) => {
        const docs = await viewStore.getMany<Doc>(collection, unique);
        return new Map([...docs].map(([id, doc]) => [id, doc.body]));
      });
    },
    /** A page of documents, each passed through `select` (kept in the cache as selected). */
    find: <Doc, Item = Doc>(
      projection: AnyProjection,
      query: FindQuery,
      select: (doc: Doc) => Item = (doc) => doc as unknown as Item,
    ): Promise<ViewPage<Item>> =>
      cached(projection, `find:${selectorId(select)}:${JSON.stringify(query)}`, async (collection) => {
        const page = await viewStore.find<Doc>(collection, query);
        return { items: page.items.map((doc) => select(doc.body)), nextCursor: page.nextCursor };
      }),
  };
};

export type Views = ReturnType<typeof readViews>;
