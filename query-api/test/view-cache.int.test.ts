import { get } from 'node:http';
import { allProjections, liveTargets, runProjections } from '@marquee/projections';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTitle,
  encodeAndPublish,
  openStores,
  type Served,
  type Stores,
  serve,
  viewerToken,
} from './sample-platform';

let stores: Stores;
let api: Served;
afterEach(async () => {
  await api.close();
  await stores.viewStore.close();
  await stores.eventStore.close();
});

/** The live runner's step: new events into the same live collections (no rebuild, no swap). */
const project = async () =>
  runProjections({ ...stores, targets: await liveTargets({ ...stores, projections: allProjections }) });

describe('cached view reads', () => {
  it('serve a change as soon as the projection writes it into the same collection', async () => {
    stores = await openStores();
    await createTitle(
      stores.eventStore,
      { titleId: 't-one', name: 'One', genres: ['drama'] },
      '2026-11-01T00:00:00.000Z',
    );
    await encodeAndPublish(stores.eventStore, 't-one', '2026-11-01T01:00:00.000Z');
    await project();
    api = await serve(stores);
    const viewer = { token: await viewerToken('a-1') };
    const before = await api.get('/catalog', viewer);
    expect(before.body.items.map((t: { titleId: string }) => t.titleId)).toEqual(['t-one']);
    // Asked again, the same page (from the cache).
    expect((await api.get('/catalog', viewer)).text).toBe(before.text);

    await createTitle(
      stores.eventStore,
      { titleId: 't-two', name: 'Two', genres: ['drama'] },
      '2026-11-02T00:00:00.000Z',
    );
    await encodeAndPublish(stores.eventStore, 't-two', '2026-11-02T01:00:00.000Z');
    const collection = await stores.viewStore.resolveAlias('catalog');
    await project();
    expect(await stores.viewStore.resolveAlias('catalog')).toBe(collection);
    const after = await api.get('/catalog?sort=recency', viewer);
    expect(after.body.items.map((t: { titleId: string }) => t.titleId)).toEqual(['t-two', 't-one']);
    expect((await api.get('/catalog', viewer)).body.items).toHaveLength(2);
  });
  it('answer 304 to a client that already has the page, by its ETag', async () => {
    stores = await openStores();
    await createTitle(
      stores.eventStore,
      { titleId: 't-one', name: 'One', genres: ['drama'] },
      '2026-11-01T00:00:00.000Z',
    );
    await encodeAndPublish(stores.eventStore, 't-one', '2026-11-01T01:00:00.000Z');
    await project();
    api = await serve(stores);
    const token = await viewerToken('a-1');
    const first = await api.get('/catalog', { token });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    // Node's fetch marks conditional requests no-cache, so this asks as a browser revalidates.
    const revalidate = (path: string) =>
      new Promise<number | undefined>((resolve, reject) =>
        get(
          `${api.url}${path}`,
          { headers: { authorization: `Bearer ${token}`, 'if-none-match': etag as string } },
          (res) => {
            res.resume();
            resolve(res.statusCode);
          },
        ).on('error', reject),
      );
    expect(await revalidate('/catalog')).toBe(304);
    expect(await revalidate('/catalog?genre=comedy')).toBe(200);
  });
});
