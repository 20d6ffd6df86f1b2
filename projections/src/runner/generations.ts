import { type CheckpointStore, createMemoryCheckpointStore, type EventStore, type ViewStore } from '@marquee/platform';
import { type AnyProjection, liveAlias, snapshotAlias } from '@marquee/read-models';
import { canRunInWorkers, runInWorkers, type StoreUrls } from './parallel-rebuild';
import { builtVersion, type Target } from './projector';
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
const stamp = (now: () => Date = () => new Date()) => now().toISOString().replace(/\D/g, '').slice(0, 17);

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
  /**
   * Where the projections' checkpoints are kept. A rebuild given none keeps them in memory: its
   * views are complete, and a runner that follows them later reads the log from the start,
   * skipping what each document already holds.
   */
  checkpoints?: CheckpointStore;
  projections: readonly AnyProjection[];
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Events folded in memory between writes while catching up. */
  catchUpBatch?: number;
  now?: () => Date;
  /** With the stores' URLs, a rebuild of several projections uses a worker thread per group. */
  parallel?: { urls: StoreUrls; workers?: number };
};

type Stores = { viewStore: ViewStore; checkpoints: CheckpointStore };

/** A generation goes checkpoint first: documents left without one are never taken for a complete build. */
const dropGeneration = async ({ viewStore, checkpoints }: Stores, collection: string) => {
  await checkpoints.delete(collection);
  await viewStore.dropCollection(collection);
};

const createGenerations = async (stores: Stores, projections: readonly AnyProjection[], label: string) => {
  const targets: Target[] = [];
  for (const projection of projections) {
    const collection = newGeneration(projection, label);
    await dropGeneration(stores, collection);
    await stores.viewStore.ensureCollection(collection, projection.collection);
    targets.push({ projection, collection });
  }
  return targets;
};

/** Drops the generations of a projection that are neither live nor the one before it, nor a snapshot. */
const pruneGenerations = async (stores: Stores, projection: AnyProjection, keep: string[]) => {
  const aliases = await stores.viewStore.listAliases();
  const inUse = new Set([...keep, ...aliases.map((a) => a.collection)]);
  for (const collection of await stores.viewStore.listCollections())
    if (collection.startsWith(generationPrefix(projection)) && !inUse.has(collection))
      await dropGeneration(stores, collection);
};

const withCheckpoints = <Options extends BuildOptions>(options: Options) => ({
  ...options,
  checkpoints: options.checkpoints ?? createMemoryCheckpointStore(),
});

/** Rebuilds projections from the whole log into fresh generations, then swaps them in together. */
export const rebuild = async (buildOptions: BuildOptions): Promise<{ position: number; collections: string[] }> => {
  const options = withCheckpoints(buildOptions);
  const { viewStore, projections } = options;
  const targets = await createGenerations(options, projections, stamp(options.now));
  // A rebuild writes nothing anyone reads until the swap, so it writes rarely.
  const catchUpBatch = options.catchUpBatch ?? 250_000;
  const dropNew = async () => {
    for (const target of targets) await dropGeneration(options, target.collection);
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
  // Worker threads keep their checkpoints in memory: the generations get theirs here, before
  // they go live, so the runner that follows them starts where the rebuild ended.
  for (const target of targets)
    if (!(await options.checkpoints.load(target.collection)))
      await options.checkpoints.save(target.collection, position, { version: target.projection.version });
  const previous = await Promise.all(projections.map((p) => viewStore.resolveAlias(liveAlias(p))));
  await viewStore.setAliases(targets.map((t) => ({ alias: liveAlias(t.projection), collection: t.collection })));
  for (const [i, target] of targets.entries())
    await pruneGenerations(options, target.projection, [target.collection, ...(previous[i] ? [previous[i]] : [])]);
  return { position, collections: targets.map((t) => t.collection) };
};

/** Builds the views as they were at a past position or time, under a snapshot name. */
export const buildSnapshot = async (
  buildOptions: BuildOptions & { snapshot: string; until: { position?: number; time?: Date } },
): Promise<{ position: number }> => {
  const options = withCheckpoints(buildOptions);
  const { viewStore, projections, snapshot } = options;
  assertSnapshotName(snapshot);
  const targets = await createGenerations(options, projections, `snap_${snapshot}`);
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
export const liveTargets = async (options: BuildOptions & { checkpoints: CheckpointStore }): Promise<Target[]> => {
  const { viewStore, checkpoints, projections } = options;
  const stale: AnyProjection[] = [];
  const targets: Target[] = [];
  for (const projection of projections) {
    const collection = await viewStore.resolveAlias(liveAlias(projection));
    if (!collection) {
      const [first] = await createGenerations(options, [projection], stamp(options.now));
      await viewStore.setAliases([{ alias: liveAlias(projection), collection: (first as Target).collection }]);
      targets.push(first as Target);
      continue;
    }
    const version = await builtVersion(checkpoints, collection);
    if (
      !collection.startsWith(`${generationPrefix(projection)}v${projection.version}_`) ||
      (version !== undefined && version !== projection.version)
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
export const runLive = async (
  options: BuildOptions & { checkpoints: CheckpointStore; now?: () => Date; onCaughtUp?: (position: number) => void },
) => {
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
