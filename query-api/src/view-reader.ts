import type { FindQuery, ViewStore } from '@marquee/platform';
import { type AnyProjection, liveAlias, snapshotAlias } from '@marquee/projections';
import { SnapshotNotFound, ViewNotBuilt } from './query-errors';

export type ViewPage<Doc> = { items: Doc[]; nextCursor: string | null };

/**
 * The views as one request reads them: live, or a named snapshot when `asOf` is given.
 * Each read resolves the alias afresh, because a rebuild swaps the live collection in place.
 */
export const readViews = (viewStore: ViewStore, asOf: string | undefined) => {
  const collectionOf = async (projection: AnyProjection) => {
    const collection = await viewStore.resolveAlias(
      asOf === undefined ? liveAlias(projection) : snapshotAlias(projection, asOf),
    );
    if (collection) return collection;
    throw asOf === undefined ? new ViewNotBuilt(projection.name) : new SnapshotNotFound(asOf);
  };
  return {
    get: async <Doc>(projection: AnyProjection, id: string): Promise<Doc | undefined> =>
      (await viewStore.get<Doc>(await collectionOf(projection), id))?.body,
    getMany: async <Doc>(projection: AnyProjection, ids: readonly string[]): Promise<Map<string, Doc>> => {
      if (ids.length === 0) return new Map();
      const docs = await viewStore.getMany<Doc>(await collectionOf(projection), [...new Set(ids)]);
      return new Map([...docs].map(([id, doc]) => [id, doc.body]));
    },
    find: async <Doc>(projection: AnyProjection, query: FindQuery): Promise<ViewPage<Doc>> => {
      const page = await viewStore.find<Doc>(await collectionOf(projection), query);
      return { items: page.items.map((doc) => doc.body), nextCursor: page.nextCursor };
    },
  };
};

export type Views = ReturnType<typeof readViews>;
