import type { CheckpointStore, ViewStore } from '@marquee/platform';
import { readView, type View, type ViewReadCache } from '@marquee/read-models';
import { LRUCache } from 'lru-cache';

/** For the docs of an operation that reads views: what its 404 and 503 mean. */
export const viewReadErrors = {
  404: 'The id, or the asOf snapshot, is unknown.',
  503: 'The view has not been built yet, or a rebuild swapped it mid-read; try again.',
};

/** How much the cache holds, by the size of the answers it keeps (a page can be a few bytes or megabytes). */
export const viewCacheMaxBytes = 64 * 1024 * 1024;

/*
 * An answer's size, from the length of its JSON: a page (`find`) or a `getMany` Map by its first
 * document times its count (a view's documents are alike), anything else whole. Serialising every
 * page in full would slow each read that fills the cache by a quarter (bench: query).
 */
const jsonLength = (value: unknown) => JSON.stringify(value)?.length ?? 0;
const listed = (value: unknown): unknown[] | undefined => {
  if (value instanceof Map) return [...value.values()];
  const items = (value as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? items : undefined;
};
const sizeOf = ({ value }: { value: unknown }, key: string) => {
  const items = listed(value);
  const size = items ? items.length * jsonLength(items[0]) : jsonLength(value);
  return Math.max(1, size + key.length);
};

/*
 * Reads are cached by the collection and its checkpoint: a view only changes when its
 * projection writes, which moves the checkpoint, so a cached read is never stale. Browse pages
 * are the same for every viewer, so most of them are served from here.
 */
type ViewStores = { viewStore: ViewStore; checkpoints: CheckpointStore };
const caches = new WeakMap<ViewStore, ViewReadCache>();
const cacheOf = ({ viewStore, checkpoints }: ViewStores): ViewReadCache => {
  const known = caches.get(viewStore);
  if (known) return known;
  const entries = new LRUCache<string, { value: unknown }>({
    maxSize: viewCacheMaxBytes,
    sizeCalculation: sizeOf,
  });
  const cache: ViewReadCache = async <T>(collection: string, read: string, load: () => Promise<T>) => {
    const checkpoint = await checkpoints.load(collection);
    if (!checkpoint) return load();
    const key = `${collection}@${checkpoint.position}:${read}`;
    const hit = entries.get(key);
    if (hit) return hit.value as T;
    const value = await load();
    entries.set(key, { value });
    return value;
  };
  caches.set(viewStore, cache);
  return cache;
};

/**
 * The views as one request reads them, through the cache: live, or a named snapshot when
 * `asOf` is given. `readViews(context, asOf)(catalog).get(id)` is a typed catalog entry.
 */
export const readViews = (stores: ViewStores, asOf: string | undefined) => {
  const options = { snapshot: asOf, cache: cacheOf(stores) };
  return <Doc>(view: View<Doc>) => readView(stores.viewStore, view, options);
};

export type Views = ReturnType<typeof readViews>;
