import type { ViewDoc, ViewStore } from '@marquee/platform';
import { type AnyProjection, allProjections, liveAlias, snapshotAlias } from '@marquee/read-models';

/** Every document of every view under an alias, sorted by id: what "the same views" means in tests. */
export const dumpViews = async (
  viewStore: ViewStore,
  options: { snapshot?: string; projections?: readonly AnyProjection[] } = {},
) => {
  const dump: Record<string, ViewDoc[]> = {};
  for (const projection of options.projections ?? allProjections) {
    const alias = options.snapshot ? snapshotAlias(projection, options.snapshot) : liveAlias(projection);
    const collection = await viewStore.resolveAlias(alias);
    if (!collection) throw new Error(`no collection for ${alias}`);
    const docs: ViewDoc[] = [];
    let cursor: string | undefined;
    do {
      const page = await viewStore.find(collection, { limit: 1000, ...(cursor ? { cursor } : {}) });
      docs.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    dump[projection.name] = docs;
  }
  return dump;
};
