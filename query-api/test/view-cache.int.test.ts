import { get } from 'node:http';
import { liveTargets, runProjections } from '@marquee/projections';
import { allProjections } from '@marquee/read-models';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTitle,
  encodeAndPublish,
  openStores,
  type Served,
  type Stores,
  serve,
  stopSample,
  viewerToken,
} from './sample-platform';

let stores: Stores;
let api: Served;
afterEach(() => stopSample({ api, stores }));

/** The live runner's step: new events into the same live collections (no rebuild, no swap). */
const project = async () =>
  runProjections({ ...stores, targets: await liveTargets({ ...stores, projections: allProjections }) });

/** A published title, projected into the live views as the runner would. */
const publish = async (titleId: string, name: string, day: string) => {
  await createTitle(stores.eventStore, { titleId, name, genres: ['drama'] }, `2026-11-${day}T00:00:00.000Z`);
  await encodeAndPublish(stores.eventStore, titleId, `2026-11-${day}T01:00:00.000Z`);
  await project();
};

describe('cached view reads', () => {
  it('serve a change as soon as the projection writes it into the same collection', async () => {
    stores = await openStores();
    await publish('t-one', 'One', '01');
    api = await serve(stores);
    const viewer = { token: await viewerToken('a-1') };
    const before = await api.get('/catalog', viewer);
    expect(before.body.items.map((t: { titleId: string }) => t.titleId)).toEqual(['t-one']);
    // Asked again, the same page (from the cache).
    expect((await api.get('/catalog', viewer)).text).toBe(before.text);

    const collection = await stores.viewStore.resolveAlias('catalog');
    await publish('t-two', 'Two', '02');
    expect(await stores.viewStore.resolveAlias('catalog')).toBe(collection);
    const after = await api.get('/catalog?sort=recency', viewer);
    expect(after.body.items.map((t: { titleId: string }) => t.titleId)).toEqual(['t-two', 't-one']);
    expect((await api.get('/catalog', viewer)).body.items).toHaveLength(2);
  });
  it('answer 304 to a client that already has the page, by its ETag', async () => {
    stores = await openStores();
    await publish('t-one', 'One', '01');
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
