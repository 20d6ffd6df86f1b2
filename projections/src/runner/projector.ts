import { upcastData } from '@marquee/domain';
import type { CheckpointStore, RecordedEvent, ViewDoc, ViewStore } from '@marquee/platform';
import type { AnyProjection, ProjectedEvent } from '@marquee/read-models';

/** A projection and the physical collection it writes (which is also its checkpoint's id). */
export type Target = { projection: AnyProjection; collection: string };

/** What a projection keeps with its checkpoint: the version of the projection that built the collection. */
export type ProjectionCheckpointState = { version: number };

/** The version of the projection that built a collection, from its checkpoint; undefined when it has none. */
export const builtVersion = async (checkpoints: CheckpointStore, collection: string) =>
  (await checkpoints.load<ProjectionCheckpointState>(collection))?.state?.version;

/** A recorded event as projections see it: upcast (the log was validated when written), with its place. */
export const toProjectedEvent = (recorded: RecordedEvent): ProjectedEvent =>
  ({
    type: recorded.type,
    data: upcastData({
      type: recorded.type,
      data: recorded.data,
      schemaVersion: typeof recorded.metadata.schemaVersion === 'number' ? recorded.metadata.schemaVersion : 1,
    }),
    position: recorded.position,
    streamName: recorded.streamName,
    recordedAt: recorded.createdAt,
  }) as ProjectedEvent;

type TargetState = Target & {
  /** Documents read or written so far; null marks one known not to exist. */
  docs: Map<string, ViewDoc | null>;
  dirty: Set<string>;
  checkpoint: number;
  /** The collection is known to hold nothing but what this projector wrote (a fresh rebuild). */
  complete: boolean;
};

/**
 * Folds events into documents in memory, writes them in atomic batches, then saves each
 * target's checkpoint. Each document keeps the position of the last event applied to it, and an
 * event at or below that position is skipped: replaying events already applied changes nothing,
 * so a crash between a batch and its checkpoint never applies an event twice.
 */
export const createProjector = (
  viewStore: ViewStore,
  checkpoints: CheckpointStore,
  targets: readonly Target[],
  options: { maxCachedDocs?: number } = {},
) => {
  const maxCachedDocs = options.maxCachedDocs ?? 500_000;
  const state: TargetState[] = targets.map((target) => ({
    ...target,
    docs: new Map(),
    dirty: new Set(),
    checkpoint: 0,
    complete: false,
  }));
  const byType = new Map<string, TargetState[]>();
  for (const target of state)
    for (const type of target.projection.eventTypes) byType.set(type, [...(byType.get(type) ?? []), target]);

  const keysOf = (target: TargetState, event: ProjectedEvent): readonly string[] => {
    const key = target.projection.key(event);
    return key === null ? [] : typeof key === 'string' ? [key] : key;
  };

  /** Loads the documents a batch touches that are not in memory yet, one query per target. */
  const loadMissing = async (events: readonly ProjectedEvent[]) => {
    const missing = new Map<TargetState, Set<string>>();
    for (const event of events)
      for (const target of byType.get(event.type) ?? []) {
        if (target.complete || event.position <= target.checkpoint) continue;
        for (const id of keysOf(target, event))
          if (!target.docs.has(id)) {
            const ids = missing.get(target) ?? new Set<string>();
            missing.set(target, ids.add(id));
          }
      }
    for (const [target, ids] of missing) {
      const found = await viewStore.getMany(target.collection, [...ids]);
      for (const id of ids) target.docs.set(id, found.get(id) ?? null);
    }
  };

  return {
    /** Loads each target's checkpoint; events at or below it are not applied again. */
    async start() {
      for (const target of state) {
        const checkpoint = await checkpoints.load(target.collection);
        target.checkpoint = checkpoint?.position ?? 0;
        // A collection with no checkpoint and no documents is being built from nothing:
        // every document it will hold passes through this projector, so none need reading.
        // One with documents but no checkpoint was cut off between its first batch and checkpoint.
        target.complete = !checkpoint && (await viewStore.count(target.collection)) === 0;
      }
      return Math.min(...state.map((target) => target.checkpoint));
    },

    async apply(events: readonly ProjectedEvent[]) {
      await loadMissing(events);
      for (const event of events)
        for (const target of byType.get(event.type) ?? []) {
          if (event.position <= target.checkpoint) continue;
          const key = target.projection.key(event);
          if (key === null) continue;
          for (const id of typeof key === 'string' ? [key] : key) {
            const doc = target.docs.get(id);
            if (doc && doc.position >= event.position) continue;
            const body = target.projection.evolve(doc?.body, event, id) as Record<string, unknown> | null;
            if (body === null) target.docs.set(id, null);
            else if (doc) {
              // The cache entry is the projector's own, so it is updated in place.
              doc.position = event.position;
              doc.body = body;
            } else target.docs.set(id, { id, position: event.position, body });
            target.dirty.add(id);
          }
        }
    },

    /** Writes every target's changed documents, then moves its checkpoint to `position`. */
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
        if (upserts.length > 0 || deletes.length > 0)
          await viewStore.writeBatch([{ collection: target.collection, upserts, deletes }]);
        const state: ProjectionCheckpointState = { version: target.projection.version };
        await checkpoints.save(target.collection, position, state);
        target.dirty.clear();
        target.checkpoint = position;
        if (target.docs.size > maxCachedDocs) {
          target.docs.clear();
          target.complete = false;
        }
      }
    },

    /** The union of the event types the targets read. */
    eventTypes: () => [...byType.keys()],
  };
};

export type Projector = ReturnType<typeof createProjector>;
