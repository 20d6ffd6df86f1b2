/**
 * The read cache is bounded by what it holds, not by how many reads: big answers (a wide
 * catalog page, a long history) push older ones out long before the process runs out of memory.
 */
import type { CheckpointStore, ViewStore } from '@marquee/platform';
import { catalog } from '@marquee/read-models';
import { describe, expect, it } from 'vitest';
import { readViews, viewCacheMaxBytes } from '../src/view-reader';

const megabyte = 1024 * 1024;

/** A view store whose every document is about one megabyte, counting the reads that reach it. */
const bigDocuments = () => {
  const loaded: string[] = [];
  const viewStore = {
    resolveAlias: async () => 'catalog-v1-blue',
    get: async (_collection: string, id: string) => {
      loaded.push(id);
      return { id, body: { titleId: id, synopsis: 'x'.repeat(megabyte) } };
    },
  } as unknown as ViewStore;
  const checkpoints = { load: async () => ({ position: 7 }) } as unknown as CheckpointStore;
  return { stores: { viewStore, checkpoints }, loaded };
};

describe('the view read cache', () => {
  it('keeps a small answer: asked again, the view store is not read again', async () => {
    const { stores, loaded } = bigDocuments();
    const views = readViews(stores, undefined);
    await views(catalog).get('t-1');
    await views(catalog).get('t-1');
    expect(loaded).toEqual(['t-1']);
  });

  it('holds no more than its size in bytes: after more than that, the oldest answer is read again', async () => {
    const { stores, loaded } = bigDocuments();
    const views = readViews(stores, undefined);
    const reads = Math.ceil(viewCacheMaxBytes / megabyte) + 8;
    for (let i = 0; i < reads; i++) await views(catalog).get(`t-${i}`);
    expect(loaded).toHaveLength(reads);

    await views(catalog).get('t-0');
    expect(loaded).toHaveLength(reads + 1);
    // The newest is still held.
    await views(catalog).get(`t-${reads - 1}`);
    expect(loaded).toHaveLength(reads + 1);
  });
});
