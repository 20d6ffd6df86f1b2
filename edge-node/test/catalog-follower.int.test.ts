import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { edgeDecider, streamName } from '@marquee/domain';
import { type EventStore, handleCommand, openEventStore } from '@marquee/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCatalogFollower } from '../src/catalog-follower';
import { eventually, publish, unpublish } from './edge-fixtures';

/* The follower on a real SQLite log: what it reads at boot, then what is appended while it runs. */

let dir: string;
let store: EventStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-catalog-'));
  store = await openEventStore(`sqlite:${join(dir, 'events.db')}`);
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

it('is caught up when it starts, then follows unpublishes, republishes and registrations live', async () => {
  const at = new Date().toISOString();
  await publish(store, 't-old', 'e1');
  await unpublish(store, 't-old', 'e1');
  await publish(store, 't-live', 'e1');
  await handleCommand(store, streamName('edge', 'edge-eu'), edgeDecider, {
    type: 'RegisterEdge',
    edgeId: 'edge-eu',
    url: 'http://eu.example:8101',
    region: 'eu',
    capacityBytes: 1e9,
    upstream: 'http://127.0.0.1:8100',
    at,
  });
  const changes: string[][] = [];
  const follower = await startCatalogFollower({
    eventStore: store,
    now: () => new Date(),
    onWithdrawnChange: (withdrawn) => changes.push([...withdrawn].toSorted()),
  });
  try {
    const { catalog } = follower;
    expect(catalog.isWithdrawn('t-old')).toBe(true);
    expect(catalog.isWithdrawn('t-live')).toBe(false);
    expect(catalog.edgeUrl('edge-eu')).toBe('http://eu.example:8101');
    expect(changes).toEqual([['t-old']]);

    await unpublish(store, 't-live', 'e1');
    await eventually(async () => catalog.isWithdrawn('t-live') || undefined, 5_000, 't-live withdrawn');
    await publish(store, 't-old', 'e2');
    await eventually(async () => !catalog.isWithdrawn('t-old') || undefined, 5_000, 't-old back');
    expect(changes).toEqual([['t-old'], ['t-live', 't-old'], ['t-live']]);
  } finally {
    await follower.close();
  }
});
