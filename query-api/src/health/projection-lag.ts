import type { CheckpointStore, EventStore, ViewStore } from '@marquee/platform';
import { type AnyProjection, liveAlias } from '@marquee/read-models';

export type ProjectionLag = {
  projection: string;
  /** The live collection, or null when the projection has never been built. */
  collection: string | null;
  position: number;
  /** Events in the log after the live view's checkpoint, counted up to the limit asked for. */
  lag: number;
};

/**
 * How many events each projection's live view is behind the head of the log, by its checkpoint.
 * Events, not positions: positions are not dense (EventStoreDB's are byte offsets). Counting
 * stops at `atMost`, since on some stores it reads the events.
 */
export const projectionLags = async (
  {
    viewStore,
    checkpoints,
    eventStore,
  }: { viewStore: ViewStore; checkpoints: CheckpointStore; eventStore: EventStore },
  projections: readonly AnyProjection[],
  atMost: number,
): Promise<{ head: number; lags: ProjectionLag[] }> => {
  const head = await eventStore.headPosition();
  const places = await Promise.all(
    projections.map(async (projection) => {
      const collection = (await viewStore.resolveAlias(liveAlias(projection))) ?? null;
      const position = collection ? ((await checkpoints.load(collection))?.position ?? 0) : 0;
      return { projection: projection.name, collection, position };
    }),
  );
  // The runner moves every view's checkpoint together, so most share one count.
  const counts = new Map<number, Promise<number>>();
  const eventsAfter = (position: number) => {
    const count =
      counts.get(position) ?? (position >= head ? Promise.resolve(0) : eventStore.countEventsAfter(position, atMost));
    counts.set(position, count);
    return count;
  };
  const lags = await Promise.all(places.map(async (place) => ({ ...place, lag: await eventsAfter(place.position) })));
  return { head, lags };
};
