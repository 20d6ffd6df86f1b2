import { buildSnapshot } from '@marquee/projections';
import { allProjections } from '@marquee/read-models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyst,
  content,
  createTitle,
  encodeAndPublish,
  openStores,
  rebuildViews,
  type Served,
  type Stores,
  serve,
  stopSample,
  viewers,
  viewerToken,
  watch,
  writeSample,
} from './sample-platform';

/*
 * A snapshot taken before a new title was published and watched, then the live views rebuilt
 * after it: asOf reads the past, no asOf reads the present.
 */
let stores: Stores;
let api: Served;
let ada: { token: string };
const snapshot = 'before-zen';
const zen = { titleId: 't-zen', name: 'Zen Garden', genres: ['documentary'] };

beforeAll(async () => {
  stores = await openStores();
  await writeSample(stores.eventStore);
  await rebuildViews(stores);
  const position = await stores.eventStore.headPosition();
  await buildSnapshot({ ...stores, projections: allProjections, snapshot, until: { position } });
  await createTitle(stores.eventStore, zen, '2026-03-11T09:00:00.000Z');
  await encodeAndPublish(stores.eventStore, zen.titleId, '2026-03-11T10:00:00.000Z');
  await watch(stores.eventStore, {
    accountId: viewers.ada.accountId,
    profileId: 'p-ada',
    titleId: zen.titleId,
    at: '2026-03-11T20:00:00.000Z',
    stopAtSeconds: 100,
    edgeId: null,
  });
  await rebuildViews(stores);
  api = await serve(stores);
  ada = { token: await viewerToken(viewers.ada.accountId) };
});
afterAll(() => stopSample({ api, stores }));

const ids = (body: { items: { titleId: string }[] }) => body.items.map((item) => item.titleId);

describe('?asOf=<snapshot>', () => {
  it('browses the catalog as it was, while the live catalog has the later publish', async () => {
    const live = await api.get('/catalog?sort=recency', ada);
    const past = await api.get(`/catalog?sort=recency&asOf=${snapshot}`, ada);
    expect(past.status).toBe(200);
    expect(ids(live.body)[0]).toBe(zen.titleId);
    expect(ids(past.body)).not.toContain(zen.titleId);
    expect(ids(live.body).slice(1)).toEqual(ids(past.body));
  });

  it('reads one title, history, continue watching and stats as they were', async () => {
    expect((await api.get(`/catalog/${zen.titleId}`, ada)).status).toBe(200);
    expect((await api.get(`/catalog/${zen.titleId}?asOf=${snapshot}`, ada)).status).toBe(404);
    expect((await api.get(`/titles/${zen.titleId}?asOf=${snapshot}`, content)).status).toBe(404);

    const history = await api.get('/profiles/p-ada/history', ada);
    const pastHistory = await api.get(`/profiles/p-ada/history?asOf=${snapshot}`, ada);
    expect(ids(history.body)[0]).toBe(zen.titleId);
    expect(ids(pastHistory.body)).toEqual(ids(history.body).slice(1));
    expect(ids((await api.get(`/profiles/p-ada/continue-watching?asOf=${snapshot}`, ada)).body)).not.toContain(
      zen.titleId,
    );

    const stats = await api.get('/stats/edges', analyst);
    const pastStats = await api.get(`/stats/edges?asOf=${snapshot}`, analyst);
    const originReports = (body: { items: { edgeId: string; qoe: { reports: number } }[] }) =>
      body.items.find((i) => i.edgeId === 'origin')?.qoe.reports ?? 0;
    expect(originReports(stats.body)).toBe(originReports(pastStats.body) + 1);
  });

  it('answers 404 SnapshotNotFound on every endpoint for a snapshot that does not exist', async () => {
    for (const [path, who] of [
      ['/catalog', ada],
      ['/catalog/t-atlas', ada],
      ['/profiles/p-ada/history', ada],
      ['/accounts/a-ada', ada],
      ['/titles', content],
      ['/edges', analyst],
      ['/stats/top-titles', analyst],
      ['/stats/edges', analyst],
    ] as const) {
      const { status, body } = await api.get(`${path}?asOf=no-such-snapshot`, who);
      expect(status, path).toBe(404);
      expect(body, path).toMatchObject({
        error: 'SnapshotNotFound',
        message: expect.stringContaining('"no-such-snapshot"'),
      });
    }
  });
});
