// bench/rebuild: `replay --all` over a million realistic events against the event store's
// own readAll rate over the same log, in one run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpointStore, openEventStore, openViewStore } from '@marquee/platform';
import { rebuild } from '@marquee/projections';
import { writeRealisticLog } from '@marquee/projections/testing';
import { allProjections, readView } from '@marquee/read-models';
import { result } from './report';

const events = Number(process.env.REBUILD_EVENTS ?? 1_000_000);
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export const rebuildBenchmark = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-bench-rebuild-'));
  const views = `sqlite:${join(dir, 'views.db')}`;
  const urls = { eventStore: `sqlite:${join(dir, 'events.db')}`, viewStore: views };
  const eventStore = await openEventStore(urls.eventStore, { synchronous: 'NORMAL' });
  const generateStart = process.hrtime.bigint();
  const log = await writeRealisticLog(eventStore, { events });
  const head = await eventStore.headPosition();
  console.log(`  generated ${head.toLocaleString('en-US')} events in ${seconds(generateStart).toFixed(1)} s`);

  const readStart = process.hrtime.bigint();
  let read = 0;
  for await (const _ of eventStore.readAll()) read++;
  const readRate = read / seconds(readStart);

  const viewStore = await openViewStore(urls.viewStore);
  const checkpoints = await openCheckpointStore(views);
  const replayStart = process.hrtime.bigint();
  // As `npm run marquee -- replay --all` runs it: one thread per group of projections.
  await rebuild({ eventStore, viewStore, checkpoints, projections: allProjections, parallel: { urls } });
  const replaySeconds = seconds(replayStart);
  const replayRate = head / replaySeconds;
  const documents: Record<string, number> = {};
  for (const projection of allProjections) documents[projection.name] = await readView(viewStore, projection).count();

  await viewStore.close();
  await checkpoints.close();
  await eventStore.close();
  rmSync(dir, { recursive: true, force: true });
  return result(
    'rebuild',
    [
      {
        what: `replay --all over ${head.toLocaleString('en-US')} events`,
        unit: 'events/s',
        project: replayRate,
        baseline: readRate,
        baselineName: "the event store's readAll over the same log",
        target: 0.4,
      },
    ],
    {
      events: head,
      replaySeconds: Number(replaySeconds.toFixed(2)),
      replayEventsPerSecond: Math.round(replayRate),
      readAllEventsPerSecond: Math.round(readRate),
      absoluteTargetEventsPerSecond: 100_000,
      absoluteTargetMet: replayRate >= 100_000 ? 'yes' : 'no',
      titles: log.titles,
      accounts: log.accounts,
      ...documents,
    },
  );
};
