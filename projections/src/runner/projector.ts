import type { MarqueeEvent } from '@marquee/domain';
import { upcastEvent } from '@marquee/domain';
import type { RecordedEvent, ViewDoc, ViewStore } from '@marquee/platform';
import type { AnyProjection, ProjectedEvent } from '../projection';

/** A projection and the physical collection it writes, with that collection's checkpoint id. */
export type Target = { projection: AnyProjection; collection: string };

/** A recorded event as projections see it: upcast (the log was validated when written), with its place. */
export const toProjectedEvent = (recorded: RecordedEvent): ProjectedEvent => {
  const event: MarqueeEvent = upcastEvent({
    type: recorded.type,
    data: recorded.data,
    schemaVersion: typeof recorded.metadata.schemaVersion === 'number' ? recorded.metadata.schemaVersion : 1,
  });
  return {
    ...event,
    position: recorded.position,
    streamName: recorded.streamName,
    recordedAt: recorded.createdAt,
  } as ProjectedEvent;
};

const keysOf = (projection: AnyProjection, event: ProjectedEvent): readonly string[] => {
  const key = projection.key(event);
  return key === null ? [] : typeof key === 'string' ? [key] : key;
};

/**
 * Folds events into documents in memory and writes them in atomic batches with each target's
 * checkpoint. Each document keeps the position of the last event applied to it, and an event
 * at or below that position is skipped: replaying events already applied changes nothing.
 */
export const createProjector = (
  viewStore: ViewStore,
  targets: readonly Target[],
  options: { maxCachedDocs?: number } = {},
) => {
  const maxCachedDocs = options.maxCachedDocs ?? 200_000;
  const state = targets.map((target) => ({
    ...target,
    handles: new Set<string>(target.projection.eventTypes),
    /** Documents read or written so far; null marks one known not to exist. */
    docs: new Map<string, ViewDoc | null>(),
    dirty: new Set<string>(),
    checkpoint: 0,
  }));

  return {
    /** Loads each target's checkpoint; events at or below it are not applied again. */
    async start() {
      for (const target of state)
        target.checkpoint = (await viewStore.readCheckpoint(target.collection))?.position ?? 0;
      return Math.min(...state.map((target) => target.checkpoint));
    },

    async apply(events: readonly ProjectedEvent[]) {
      for (const target of state) {
        const relevant = events.filter((e) => e.position > target.checkpoint && target.handles.has(e.type));
        if (relevant.length === 0) continue;
        const keyed = relevant.map((event) => ({ event, keys: keysOf(target.projection, event) }));
        const missing = [...new Set(keyed.flatMap((k) => k.keys))].filter((id) => !target.docs.has(id));
        if (missing.length > 0) {
          const found = await viewStore.getMany(target.collection, missing);
          for (const id of missing) target.docs.set(id, found.get(id) ?? null);
        }
        for (const { event, keys } of keyed)
          for (const id of keys) {
            const doc = target.docs.get(id) ?? null;
            if (doc && doc.position >= event.position) continue;
            const body = target.projection.evolve(doc?.body, event);
            target.docs.set(
              id,
              body === null ? null : { id, position: event.position, body: body as Record<string, unknown> },
            );
            target.dirty.add(id);
          }
      }
    },

    /** Writes every target's changed documents and moves its checkpoint to `position`. */
    async flush(position: number) {
      for (const target of state) {
        if (position <= target.checkpoint) continue;
        const upserts: ViewDoc[] = [];
        const deletes: string[] = [];
        for (const id of target.dirty) {
          const doc = target.docs.get(id);
          if (doc) upserts.push(doc);
          else deletes.push(id);
        }
        await viewStore.writeBatch([{ collection: target.collection, upserts, deletes }], {
          id: target.collection,
          position,
          version: target.projection.version,
        });
        target.dirty.clear();
        target.checkpoint = position;
        if (target.docs.size > maxCachedDocs) target.docs.clear();
      }
    },

    /** The union of the event types the targets read. */
    eventTypes: () => [...new Set(state.flatMap((t) => [...t.handles]))],
    checkpoints: () => state.map((t) => ({ collection: t.collection, position: t.checkpoint })),
  };
};

export type Projector = ReturnType<typeof createProjector>;
