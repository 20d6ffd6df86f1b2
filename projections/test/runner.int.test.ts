import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CheckpointStore,
  type EventStore,
  openCheckpointStore,
  openEventStore,
  openViewStore,
  type ViewStore,
} from '@marquee/platform';
import { spawnTsx } from '@marquee/platform/testing';
import {
  type AccountView,
  allProjections,
  type CatalogEntry,
  type ContinueWatchingEntry,
  catalog,
  liveAlias,
} from '@marquee/read-models';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSnapshot, liveTargets, partition, rebuild, runLive, runProjections } from '../src';
import { writeRealisticLog } from '../src/testing';
import { dumpViews } from './view-dump';

const opened: { close(): Promise<void> }[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const store of opened.splice(0).reverse()) await store.close();
});

const setup = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-projections-'));
  const urls = { events: `sqlite:${join(dir, 'events.db')}`, views: `sqlite:${join(dir, 'views.db')}` };
  const eventStore = await openEventStore(urls.events);
  const viewStore = await openViewStore(urls.views);
  const checkpoints = await openCheckpointStore(urls.views);
  opened.push(eventStore, viewStore, checkpoints);
  return { dir, urls, eventStore, viewStore, checkpoints };
};
const freshViewStore = async (dir: string, name: string) => {
  const viewStore = await openViewStore(`sqlite:${join(dir, name)}`);
  opened.push(viewStore);
  return viewStore;
};
const until = async (condition: () => Promise<boolean>, what: string, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
const liveCheckpoint = async (viewStore: ViewStore, checkpoints: CheckpointStore) => {
  const positions = [];
  for (const name of [
    'catalog',
    'title-detail',
    'watch-history',
    'continue-watching',
    'accounts',
    'edge-inventory',
    'title-stats',
    'edge-qoe',
  ]) {
    const collection = await viewStore.resolveAlias(name);
    positions.push(collection ? ((await checkpoints.load(collection))?.position ?? 0) : 0);
  }
  return Math.min(...positions);
};
const caughtUp = (eventStore: EventStore, viewStore: ViewStore, checkpoints: CheckpointStore) => async () =>
  (await liveCheckpoint(viewStore, checkpoints)) >= (await eventStore.headPosition());

describe('projection runner', () => {
  it('rebuilds every view from a realistic log', async () => {
    const { eventStore, viewStore, checkpoints } = await setup();
    const log = await writeRealisticLog(eventStore, { events: 6000 });
    const { position } = await rebuild({
      eventStore,
      viewStore,
      checkpoints,
      projections: [catalog],
      catchUpBatch: 700,
    });
    expect(position).toBe(await eventStore.headPosition());
    const views = await dumpViews(viewStore, { projections: [catalog] });
    const entries = views.catalog?.map((d) => d.body as CatalogEntry) ?? [];
    expect(entries).toHaveLength(log.titles);
    expect(entries.every((e) => e.published && e.durationSeconds !== null)).toBe(true);
    expect(entries.reduce((total, e) => total + e.popularity, 0)).toBeGreaterThan(0);

    await rebuild({ eventStore, viewStore, checkpoints, projections: allProjections });
    const all = await dumpViews(viewStore);
    expect(all.accounts).toHaveLength(log.accounts);
    expect(JSON.stringify(all.accounts)).not.toContain('passwordHash');
    expect((all.accounts?.[0]?.body as AccountView | undefined)?.profiles.length).toBeGreaterThan(0);
    expect(all['continue-watching']?.every((d) => !(d.body as ContinueWatchingEntry).completed)).toBe(true);
    expect(
      all['edge-inventory']?.every((d) => (d.body as { heldTitles: string[] }).heldTitles.length === log.titles),
    ).toBe(true);
  });

  it('gives the same views whether it follows the log in steps or rebuilds it at once', async () => {
    const { dir, eventStore, viewStore, checkpoints } = await setup();
    const targets = await liveTargets({ eventStore, viewStore, checkpoints, projections: allProjections });
    await writeRealisticLog(eventStore, { events: 3000, seed: 1 });
    await runProjections({ eventStore, viewStore, checkpoints, targets, catchUpBatch: 333 });
    await writeRealisticLog(eventStore, { events: 2000, seed: 2, start: new Date('2026-12-01T00:00:00Z') });
    await runProjections({ eventStore, viewStore, checkpoints, targets, catchUpBatch: 250 });
    const clean = await freshViewStore(dir, 'clean.db');
    await rebuild({ eventStore, viewStore: clean, projections: allProjections });
    expect(await dumpViews(viewStore)).toEqual(await dumpViews(clean));
  });

  it('fails visibly when a checkpoint cannot be saved after its batch, and a restart applies no event twice', async () => {
    const { dir, eventStore, viewStore, checkpoints } = await setup();
    await writeRealisticLog(eventStore, { events: 3000, seed: 13 });
    const targets = await liveTargets({ eventStore, viewStore, checkpoints, projections: allProjections });
    let saves = 0;
    // The 20th save is the fourth projection's in the third batch: its documents are written, its checkpoint is not.
    const failing: CheckpointStore = {
      ...checkpoints,
      save: async (id, position, state) => {
        if (++saves === 20) throw new Error('power cut');
        await checkpoints.save(id, position, state);
      },
    };
    await expect(
      runProjections({ eventStore, viewStore, checkpoints: failing, targets, catchUpBatch: 500 }),
    ).rejects.toThrow('power cut');
    await runProjections({ eventStore, viewStore, checkpoints, targets, catchUpBatch: 500 });
    const clean = await freshViewStore(dir, 'clean.db');
    await rebuild({ eventStore, viewStore: clean, projections: allProjections });
    expect(await dumpViews(viewStore)).toEqual(await dumpViews(clean));
  });

  it('swaps in a rebuild while the live runner serves and keeps following, losing nothing', async () => {
    const { dir, eventStore, viewStore, checkpoints } = await setup();
    await writeRealisticLog(eventStore, { events: 3000, seed: 3 });
    const stop = new AbortController();
    const live = runLive({ eventStore, viewStore, checkpoints, projections: allProjections, signal: stop.signal });
    await until(caughtUp(eventStore, viewStore, checkpoints), 'the live runner to catch up');
    const before = await viewStore.resolveAlias(liveAlias(catalog));
    const servedBefore = await viewStore.count(before as string);
    const rebuilt = rebuild({ eventStore, viewStore, checkpoints, projections: allProjections, catchUpBatch: 500 });
    // The live views keep serving everything while the rebuild runs beside them.
    expect(await viewStore.count(before as string)).toBe(servedBefore);
    await writeRealisticLog(eventStore, { events: 1500, seed: 4, start: new Date('2026-12-01T00:00:00Z') });
    await rebuilt;
    expect(await viewStore.resolveAlias(liveAlias(catalog))).not.toBe(before);
    await writeRealisticLog(eventStore, { events: 800, seed: 5, start: new Date('2027-01-01T00:00:00Z') });
    await until(caughtUp(eventStore, viewStore, checkpoints), 'the live runner to follow the new generation');
    stop.abort();
    await live;
    const clean = await freshViewStore(dir, 'clean.db');
    await rebuild({ eventStore, viewStore: clean, projections: allProjections });
    expect(await dumpViews(viewStore)).toEqual(await dumpViews(clean));
  });

  it('rebuilds a projection whose version changed, and keeps the previous generation for a rollback', async () => {
    const { eventStore, viewStore, checkpoints } = await setup();
    await writeRealisticLog(eventStore, { events: 1500, seed: 6 });
    const [v1] = await liveTargets({ eventStore, viewStore, checkpoints, projections: [catalog] });
    await runProjections({ eventStore, viewStore, checkpoints, targets: [v1 as NonNullable<typeof v1>] });
    const next = catalog.version + 1;
    const changed = { ...catalog, version: next };
    const [target] = await liveTargets({ eventStore, viewStore, checkpoints, projections: [changed] });
    expect(target?.collection).toMatch(new RegExp(`^catalog__v${next}_`));
    expect(await viewStore.resolveAlias('catalog')).toBe(target?.collection);
    expect((await checkpoints.load(target?.collection as string))?.state?.version).toBe(next);
    expect(await viewStore.listCollections()).toContain(v1?.collection);
  });

  it('a snapshot as of a position equals a replay of the log truncated there', async () => {
    const { dir, eventStore, viewStore, checkpoints } = await setup();
    await writeRealisticLog(eventStore, { events: 4000, seed: 7 });
    const cut = 2345;
    await buildSnapshot({
      eventStore,
      viewStore,
      checkpoints,
      projections: allProjections,
      snapshot: 'cut',
      until: { position: cut },
    });
    await rebuild({ eventStore, viewStore, checkpoints, projections: allProjections });

    const truncated = await openEventStore(`sqlite:${join(dir, 'truncated.db')}`);
    opened.push(truncated);
    for await (const event of eventStore.readAll({ maxCount: cut }))
      await truncated.appendToStream(event.streamName, [
        { id: event.id, type: event.type, data: event.data, metadata: event.metadata },
      ]);
    expect(await truncated.headPosition()).toBe(cut);
    const replayed = await freshViewStore(dir, 'replayed.db');
    await rebuild({ eventStore: truncated, viewStore: replayed, projections: allProjections });

    const snapshot = await dumpViews(viewStore, { snapshot: 'cut' });
    expect(snapshot).toEqual(await dumpViews(replayed));
    expect(snapshot).not.toEqual(await dumpViews(viewStore));
  });

  it('a snapshot as of a time stops at the last event recorded by then', async () => {
    const { dir, eventStore, viewStore, checkpoints } = await setup();
    await writeRealisticLog(eventStore, { events: 800, seed: 8 });
    const moment = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const head = await eventStore.headPosition();
    await writeRealisticLog(eventStore, { events: 800, seed: 9 });
    await buildSnapshot({
      eventStore,
      viewStore,
      checkpoints,
      projections: allProjections,
      snapshot: 'then',
      until: { time: moment },
    });
    const byPosition = await freshViewStore(dir, 'by-position.db');
    await buildSnapshot({
      eventStore,
      viewStore: byPosition,
      projections: allProjections,
      snapshot: 'then',
      until: { position: head },
    });
    expect(await dumpViews(viewStore, { snapshot: 'then' })).toEqual(await dumpViews(byPosition, { snapshot: 'then' }));
  });

  it('killed with SIGKILL at any moment and restarted, the service ends with exactly the views a clean run gives', async () => {
    const { dir, urls, eventStore, viewStore, checkpoints } = await setup();
    await writeRealisticLog(eventStore, { events: 40_000, seed: 10 });
    const service = fileURLToPath(new URL('../src/main.ts', import.meta.url));
    const startService = () => {
      const started = spawnTsx(service, [], {
        env: { EVENT_STORE_URL: urls.events, VIEW_STORE_URL: urls.views, PROJECTION_BATCH: '200', LOG_LEVEL: 'info' },
        stderr: 'inherit',
      });
      children.push(started.child);
      return started;
    };
    let appended = 0;
    let killedMidRun = 0;
    for (let kill = 0; kill < 6; kill++) {
      const before = await liveCheckpoint(viewStore, checkpoints);
      const child = startService();
      // Kill it a moment after it has written something: in the middle of its work.
      await until(async () => (await liveCheckpoint(viewStore, checkpoints)) > before, 'the service to make progress');
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 40)));
      if ((await liveCheckpoint(viewStore, checkpoints)) < (await eventStore.headPosition())) killedMidRun++;
      await child.stop('SIGKILL');
      if (kill % 2 === 1) {
        await writeRealisticLog(eventStore, {
          events: 500,
          seed: 100 + kill,
          start: new Date(`2027-0${kill}-01T00:00:00Z`),
        });
        appended++;
      }
    }
    expect(killedMidRun).toBeGreaterThanOrEqual(4);
    expect(appended).toBe(3);
    const last = startService();
    await last.waitForLine('views caught up', 120_000);
    expect(await caughtUp(eventStore, viewStore, checkpoints)()).toBe(true);
    expect((await last.stop('SIGTERM')).code).toBe(0);

    const clean = await freshViewStore(dir, 'clean.db');
    await rebuild({ eventStore, viewStore: clean, projections: allProjections });
    expect(await dumpViews(viewStore)).toEqual(await dumpViews(clean));
  });
});

describe('parallel rebuild', () => {
  it('gives the same views on worker threads as on one thread, and swaps them in together', async () => {
    const { dir, urls, eventStore, viewStore, checkpoints } = await setup();
    await writeRealisticLog(eventStore, { events: 5000, seed: 11 });
    const parallel = { urls: { eventStore: urls.events, viewStore: urls.views } };
    const { collections } = await rebuild({
      eventStore,
      viewStore,
      checkpoints,
      projections: allProjections,
      parallel,
    });
    expect(collections).toHaveLength(allProjections.length);
    for (const [i, projection] of allProjections.entries())
      expect(await viewStore.resolveAlias(liveAlias(projection))).toBe(collections[i]);
    // The runner that follows them starts at the head, not from the start of the log.
    const head = await eventStore.headPosition();
    for (const collection of collections) expect((await checkpoints.load(collection))?.position).toBe(head);
    const single = await freshViewStore(dir, 'single.db');
    await rebuild({ eventStore, viewStore: single, projections: allProjections });
    expect(await dumpViews(viewStore)).toEqual(await dumpViews(single));
  });
  it('keeps the heartbeat readers together and spreads the rest', () => {
    const targets = allProjections.map((projection) => ({ projection, collection: projection.name }));
    const groups = partition(targets, 2).map((group) => group.map((t) => t.projection.name).sort());
    expect(groups[0]).toEqual(['continue-watching', 'watch-history']);
    expect(groups[1]).toHaveLength(allProjections.length - 2);
    expect(partition(targets, 1)).toHaveLength(1);
    expect(partition(targets, 4).flat()).toHaveLength(allProjections.length);
  });
  it('drops the half-built generations and leaves the live views alone when a worker fails', async () => {
    const { dir, urls, eventStore, viewStore, checkpoints } = await setup();
    await writeRealisticLog(eventStore, { events: 500, seed: 12 });
    const notAFolder = join(dir, 'a-file');
    writeFileSync(notAFolder, '');
    await rebuild({ eventStore, viewStore, checkpoints, projections: allProjections });
    const live = await viewStore.listAliases();
    const collections = await viewStore.listCollections();
    await expect(
      rebuild({
        eventStore,
        viewStore,
        checkpoints,
        projections: allProjections,
        parallel: { urls: { eventStore: `sqlite:${join(notAFolder, 'events.db')}`, viewStore: urls.views } },
      }),
    ).rejects.toThrow(/Rebuilding .* failed: .*a-file/);
    expect(await viewStore.listAliases()).toEqual(live);
    expect(await viewStore.listCollections()).toEqual(collections);
  });
});
