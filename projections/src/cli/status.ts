import { allProjections, liveAlias } from '@marquee/read-models';
import type { Command } from 'commander';
import type { ProjectionCheckpointState } from '../runner/projector';
import { openStores } from './stores';

/** Where the lag stops being counted: on EventStoreDB counting reads the events. */
export const lagCountLimit = 100_000;

export const projectionStatus = async (stores: Awaited<ReturnType<typeof openStores>>) => {
  const head = await stores.eventStore.headPosition();
  const aliases = await stores.viewStore.listAliases();
  const rows = [];
  for (const projection of allProjections) {
    const collection = await stores.viewStore.resolveAlias(liveAlias(projection));
    const checkpoint = collection ? await stores.checkpoints.load<ProjectionCheckpointState>(collection) : undefined;
    rows.push({
      projection: projection.name,
      version: projection.version,
      builtVersion: checkpoint?.state?.version ?? null,
      collection: collection ?? null,
      checkpoint: checkpoint?.position ?? 0,
      // Events, not positions, which are not dense on EventStoreDB.
      lag: await stores.eventStore.countEventsAfter(checkpoint?.position ?? 0, lagCountLimit),
      updatedAt: checkpoint?.updatedAt.toISOString() ?? null,
      snapshots: aliases.filter((a) => a.alias.startsWith(`${projection.name}@`)).map((a) => a.alias.split('@')[1]),
    });
  }
  return { head, projections: rows };
};

export const projectionsCommand = (program: Command) =>
  program
    .command('projections')
    .description('about the views')
    .command('status')
    .description("each projection's checkpoint, lag behind the log, version and snapshots")
    .option('--json', 'as JSON')
    .action(async (options: { json?: boolean }) => {
      const stores = await openStores();
      try {
        const status = await projectionStatus(stores);
        if (options.json) {
          console.log(JSON.stringify(status, null, 2));
          return;
        }
        console.log(`event store head: position ${status.head}`);
        console.table(
          status.projections.map((p) => ({
            projection: p.projection,
            version:
              p.builtVersion === p.version ? `${p.version}` : `${p.version} (built ${p.builtVersion ?? 'never'})`,
            checkpoint: p.checkpoint,
            'lag (events)': p.lag >= lagCountLimit ? `${lagCountLimit}+` : p.lag,
            updated: p.updatedAt ?? 'never',
            snapshots: p.snapshots.join(' ') || '-',
          })),
        );
      } finally {
        await stores.close();
      }
    });
