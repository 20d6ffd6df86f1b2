import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openViewStore, ServiceUnavailable, type ViewStore } from '@marquee/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EdgeInventoryEntry,
  edgeInventory,
  liveAlias,
  readView,
  SnapshotNotFound,
  snapshotAlias,
  unlessNotBuilt,
  ViewNotBuilt,
  type ViewReadCache,
  watchHistory,
} from '../src';

let store: ViewStore;
beforeAll(async () => {
  store = await openViewStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'marquee-read-models-')), 'views.db')}`);
});
afterAll(() => store.close());

const edge = (edgeId: string, region: string, heldTitles: string[]): EdgeInventoryEntry => ({
  edgeId,
  url: `http://${edgeId}.test`,
  region,
  capacityBytes: 1000,
  upstream: 'origin',
  usedBytes: heldTitles.length,
  held: [],
  filling: [],
  heldEncodings: heldTitles.map((titleId) => `${titleId}/e1`),
  heldTitles,
  lastFailure: null,
  registeredAt: '2026-01-01T00:00:00.000Z',
});

/** A generation of the edge inventory holding these edges, under `alias`. */
const buildEdges = async (collection: string, alias: string, edges: EdgeInventoryEntry[]) => {
  await store.ensureCollection(collection, edgeInventory.collection);
  await store.writeBatch([
    { collection, upserts: edges.map((body, i) => ({ id: body.edgeId, position: i + 1, body })), deletes: [] },
  ]);
  await store.setAliases([{ alias, collection }]);
};

describe('readView', () => {
  it('answers ViewNotBuilt (a 503) from every read of a view that was never built', async () => {
    const history = readView(store, watchHistory);
    for (const read of [
      () => history.get('p:t'),
      () => history.getMany(['p:t']),
      () => history.find({ limit: 10 }),
      () => history.count(),
    ]) {
      const error = await read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ViewNotBuilt);
      expect(error).toBeInstanceOf(ServiceUnavailable);
      expect(error).toMatchObject({ code: 'ViewNotBuilt', details: { view: 'watch-history' } });
    }
  });

  it('reads typed documents of the live view: get, getMany, find with a select, count', async () => {
    await buildEdges('edge-inventory__v1_a', liveAlias(edgeInventory), [
      edge('lon', 'eu', ['t1', 't2']),
      edge('nyc', 'us', ['t1']),
      edge('par', 'eu', []),
    ]);
    const edges = readView(store, edgeInventory);
    const lon: EdgeInventoryEntry | undefined = await edges.get('lon');
    expect(lon?.heldTitles).toEqual(['t1', 't2']);
    expect(await edges.get('nowhere')).toBeUndefined();
    expect([...(await edges.getMany(['nyc', 'par', 'nyc', 'gone'])).keys()].sort()).toEqual(['nyc', 'par']);
    expect(await edges.getMany([])).toEqual(new Map());
    const page = await edges.find(
      { where: { heldTitles: 't1' }, sort: { field: 'id', direction: 'asc' }, limit: 1 },
      (entry) => entry.url,
    );
    expect(page.items).toEqual(['http://lon.test']);
    expect(page.nextCursor).not.toBeNull();
    expect((await edges.find({ where: { region: 'eu' }, limit: 10 })).items.map((e) => e.edgeId).sort()).toEqual([
      'lon',
      'par',
    ]);
    expect(await edges.count()).toBe(3);
    expect(await edges.count({ region: 'eu' })).toBe(2);
  });

  it('resolves the alias on every read, so a rebuild swapped in is read at once', async () => {
    const edges = readView(store, edgeInventory);
    await buildEdges('edge-inventory__v1_b', liveAlias(edgeInventory), [edge('tyo', 'ap', [])]);
    expect(await edges.count()).toBe(1);
    expect(await edges.get('tyo')).toMatchObject({ region: 'ap' });
  });

  it('reads a snapshot when asked, and an unknown snapshot is SnapshotNotFound', async () => {
    await buildEdges('edge-inventory__v1_snap_launch', snapshotAlias(edgeInventory, 'launch'), [
      edge('sfo', 'us', ['t9']),
    ]);
    const atLaunch = readView(store, edgeInventory, { snapshot: 'launch' });
    expect(await atLaunch.get('sfo')).toMatchObject({ heldTitles: ['t9'] });
    expect(await atLaunch.get('tyo')).toBeUndefined();
    const error = await readView(store, edgeInventory, { snapshot: 'never' })
      .get('sfo')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnapshotNotFound);
    expect(error).toMatchObject({ code: 'SnapshotNotFound', details: { snapshot: 'never' } });
  });

  it('passes each read through the cache under the live collection and a key that tells reads apart', async () => {
    const keys: string[] = [];
    const kept = new Map<string, unknown>();
    const cache: ViewReadCache = async (collection, read, load) => {
      const key = `${collection}|${read}`;
      keys.push(key);
      if (!kept.has(key)) kept.set(key, await load());
      return kept.get(key) as Awaited<ReturnType<typeof load>>;
    };
    const edges = readView(store, edgeInventory, { cache });
    const url = (entry: EdgeInventoryEntry) => entry.url;
    const region = (entry: EdgeInventoryEntry) => entry.region;
    expect((await edges.find({ limit: 5 }, url)).items).toEqual(['http://tyo.test']);
    expect((await edges.find({ limit: 5 }, region)).items).toEqual(['ap']);
    expect((await edges.find({ limit: 5 }, url)).items).toEqual(['http://tyo.test']);
    await edges.get('tyo');
    await edges.getMany(['tyo']);
    await edges.count();
    expect(keys.every((key) => key.startsWith('edge-inventory__v1_b|'))).toBe(true);
    expect(new Set(keys).size).toBe(keys.length - 1);
    expect(keys[0]).toBe(keys[2]);
    // What the cache gives back is what the reader answers, without asking the store.
    kept.set('edge-inventory__v1_b|get:tyo', { edgeId: 'from-cache' });
    expect(await edges.get('tyo')).toEqual({ edgeId: 'from-cache' });
  });
});

describe('unlessNotBuilt', () => {
  it('gives the fallback for a view never built and lets every other error through', async () => {
    expect(await readView(store, watchHistory).get('p:t').catch(unlessNotBuilt(undefined))).toBeUndefined();
    const other = new Error('disk on fire');
    await expect(Promise.reject(other).catch(unlessNotBuilt('fallback'))).rejects.toBe(other);
  });
});
