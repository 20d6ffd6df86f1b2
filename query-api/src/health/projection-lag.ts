import type { CheckpointStore, EventStore, ViewStore } from '@marquee/platform';
import { type AnyProjection, liveAlias } from '@marquee/read-models';

export type ProjectionLag = {
  projection: string;
  /** The live collection, or null when the projection has never been built. */
  collection: string | null;
  position: number;
  /** Events in the log the live view has not yet read past. */
  lag: number;
};

/** How far each projection's live view is behind the head of the event log, by its checkpoint. */
export const projectionLags = async (
  {
    viewStore,
    checkpoints,
    eventStore,
  }: { viewStore: ViewStore; checkpoints: CheckpointStore; eventStore: EventStore },
  projections: readonly AnyProjection[],
): Promise<{ head: number; lags: ProjectionLag[] }> => {
  const head = await eventStore.headPosition();
  const lags = await Promise.all(
    projections.map(async (projection): Promise<ProjectionLag> => {
      const collection = (await viewStore.resolveAlias(liveAlias(projection))) ?? null;
      const position = collection ? ((await checkpoints.load(collection))?.position ?? 0) : 0;
      return { projection: projection.name, collection, position, lag: Math.max(0, head - position) };
    }),
  );
  return { head, lags };
};
