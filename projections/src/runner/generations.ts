import type { EventStore, ViewStore } from '@marquee/platform';
import { type AnyProjection, liveAlias, snapshotAlias } from '@marquee/read-models';
import { canRunInWorkers, runInWorkers, type StoreUrls } from './parallel-rebuild';
import type { Target } from './projector';
import { type Progress, runProjections } from './run-projections';

/*
 * Each build of a projection writes its own physical collection, a generation named
 * `<projection>__v<version>_<label>`. The alias `<projection>` names the live one, and
 * `<projection>@<snapshot>` a time-travel snapshot. A rebuild fills a fresh generation while
 * the live one keeps serving, then moves the alias in one step (blue/green); the previous
 * generation is kept for a rollback, older ones are dropped.
 */

const generationPrefix = (projection: AnyProjection) => `${projection.name}__`;
const newGeneration = (projection: AnyProjection, label: string) =>
  `${generationPrefix(projection)}v${projection.version}_${label}`;
const stamp = () => new Date().toISOString().replace(/\D/g, '').slice(0, 17);

const snapshotName = /^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$/;
export const assertSnapshotName = (name: string) => {
  if (!snapshotName.test(name))
    throw new Error(
      `Snapshot name "${name}" must be 1 to 41 letters, digits, "-" or "_", starting with a letter or digit.`,
    );
};

export type BuildOptions = {
  eventStore: EventStore;
  viewStore: ViewStore;
  projections: readonly AnyProjection[];
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Events folded in memory between writes while catching up. */
  catchUpBatch?: number;
  /** With the stores' URLs, a rebuild of several projections uses a worker thread per group. */
  parallel?: { urls: StoreUrls; workers?: number };
};

const createGenerations = async (viewStore: ViewStore, projections: readonly AnyProjection[], label: string) => {
  const targets: Target[] = [];
  for (const projection of projections) {
    const collection = newGeneration(projection, label);
    await viewStore.dropCollection(collection);
    await viewStore.deleteCheckpoint(collection);
    await viewStore.ensureCollection(collection, projection.collection);
    targets.push({ projection, collection });
  }
  return targets;
};

/** Drops the generations of a projection that are neither live nor the one before it, nor a snapshot. */
const pruneGenerations = async (viewStore: ViewStore, projection: AnyProjection, keep: string[]) => {
  const aliases = await viewStore.listAliases();
  const inUse = new Set([...keep, ...aliases.map((a) => a.collection)]);
  for (const collection of await viewStore.listCollections())
    if (collection.startsWith(generationPrefix(projection)) && !inUse.has(collection)) {
      await viewStore.dropCollection(collection);
      await viewStore.deleteCheckpoint(collection);
    }
};

/** Rebuilds projections from the whole log into fresh generations, then swaps them in together. */
export const rebuild = async (options: BuildOptions): Promise<{ position: number; collections: string[] }> => {
  const { viewStore, projections } = options;
  const targets = await createGenerations(viewStore, projections, stamp());
  // A rebuild writes nothing anyone reads until the swap, so it writes rarely.
  const catchUpBatch = options.catchUpBatch ?? 250_000;
  const dropNew = async () => {
    for (const target of targets) {
      await viewStore.dropCollection(target.collection);
      await viewStore.deleteCheckpoint(target.collection);
    }
  };
  let position: number;
  try {
    ({ position } =
      options.parallel && targets.length > 1 && canRunInWorkers(targets)
        ? await runInWorkers({ ...options, ...options.parallel, targets, catchUpBatch })
        : await runProjections({ ...options, targets, catchUpBatch }));
  } catch (error) {
    await dropNew();
    throw error;
  }
  if (options.signal?.aborted) {
    await dropNew();
    return { position, collections: [] };
  }
  const previous = await Promise.all(projections.map((p) => viewStore.resolveAlias(liveAlias(p))));
  await viewStore.setAliases(targets.map((t) => ({ alias: liveAlias(t.projection), collection: t.collection })));
  for (const [i, target] of targets.entries())
    await pruneGenerations(viewStore, target.projection, [target.collection, ...(previous[i] ? [previous[i]] : [])]);
  return { position, collections: targets.map((t) => t.collection) };
};

/** Builds the views as they were at a past position or time, under a snapshot name. */
export const buildSnapshot = async (
  options: BuildOptions & { snapshot: string; until: { position?: number; time?: Date } },
): Promise<{ position: number }> => {
  const { viewStore, projections, snapshot } = options;
  assertSnapshotName(snapshot);
  const targets = await createGenerations(viewStore, projections, `snap_${snapshot}`);
  const result = await runProjections({ ...options, targets });
  await viewStore.setAliases(
    targets.map((t) => ({ alias: snapshotAlias(t.projection, snapshot), collection: t.collection })),
  );
  return result;
};

/**
 * The live generation of each projection, ready for the runner: a projection seen for the
 * first time gets its first generation, and one whose version changed is rebuilt blue/green.
 */
export const liveTargets = async (options: BuildOptions): Promise<Target[]> => {
  const { viewStore, projections } = options;
  const stale: AnyProjection[] = [];
  const targets: Target[] = [];
  for (const projection of projections) {
    const collection = await viewStore.resolveAlias(liveAlias(projection));
    if (!collection) {
      const [first] = await createGenerations(viewStore, [projection], stamp());
      await viewStore.setAliases([{ alias: liveAlias(projection), collection: (first as Target).collection }]);
      targets.push(first as Target);
      continue;
    }
    const checkpoint = await viewStore.readCheckpoint(collection);
    if (
      !collection.startsWith(`${generationPrefix(projection)}v${projection.version}_`) ||
      (checkpoint && checkpoint.version !== projection.version)
    )
      stale.push(projection);
    else targets.push({ projection, collection });
  }
  if (stale.length > 0) {
    await rebuild({ ...options, projections: stale });
    for (const projection of stale)
      targets.push({ projection, collection: (await viewStore.resolveAlias(liveAlias(projection))) as string });
  }
  return targets;
};

/** True while every target is still the live generation of its projection. */
export const stillLive = async (viewStore: ViewStore, targets: readonly Target[]) => {
  for (const target of targets)
    if ((await viewStore.resolveAlias(liveAlias(target.projection))) !== target.collection) return false;
  return true;
};

/** The live service: follows the log into the live generations, restarting when a rebuild swaps one in. */
export const runLive = async (options: BuildOptions & { onCaughtUp?: (position: number) => void }) => {
  while (!options.signal?.aborted) {
    const targets = await liveTargets(options);
    await runProjections({
      ...options,
      targets,
      follow: true,
      shouldContinue: () => stillLive(options.viewStore, targets),
    });
  }
};
