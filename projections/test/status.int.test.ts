import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpointStore, openEventStore, openViewStore } from '@marquee/platform';
import { sparsePositions } from '@marquee/platform/testing';
import { allProjections } from '@marquee/read-models';
import { expect, it } from 'vitest';
import { projectionStatus } from '../src/cli/status';
import { rebuild } from '../src/runner/generations';
import { writeRealisticLog } from '../src/testing';

it('projections status counts lag in events where positions are not dense (as on EventStoreDB)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-status-'));
  const eventStore = sparsePositions(await openEventStore(`sqlite:${join(dir, 'events.db')}`), 100);
  const viewStore = await openViewStore(`sqlite:${join(dir, 'views.db')}`);
  const checkpoints = await openCheckpointStore(`sqlite:${join(dir, 'views.db')}`);
  const stores = {
    eventStore,
    viewStore,
    checkpoints,
    urls: { eventStore: '', viewStore: '' },
    close: async () => {
      await eventStore.close();
      await viewStore.close();
      await checkpoints.close();
    },
  };
  try {
    await writeRealisticLog(eventStore, { events: 300 });
    await rebuild({ eventStore, viewStore, checkpoints, projections: allProjections });
    await eventStore.appendToStream('title-late', [
      { id: crypto.randomUUID(), type: 'Unrelated', data: {} },
      { id: crypto.randomUUID(), type: 'Unrelated', data: {} },
    ]);
    const status = await projectionStatus(stores);
    expect(status.projections).toHaveLength(allProjections.length);
    for (const p of status.projections) expect(p.lag).toBe(2);
  } finally {
    await stores.close();
  }
});
