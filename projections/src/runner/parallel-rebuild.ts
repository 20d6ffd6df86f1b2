import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { allProjections } from '@marquee/read-models';
import type { Target } from './projector';
import type { Progress } from './run-projections';

/*
 * A rebuild is parallel by projection: each group of projections reads the log on its own
 * thread and folds it into its own collections. Most of a log is heartbeats
 * (PlaybackProgressed), so the projections that read them share one group, which reads them
 * once, and the rest share the other threads; splitting them would make two threads read the
 * same bulk of the log, which costs more than it saves on two cores.
 */

/** Each worker opens its own connections, and keeps its checkpoints in memory. */
export type StoreUrls = { eventStore: string; viewStore: string };

export type WorkerTask = {
  urls: StoreUrls;
  targets: { projection: string; collection: string }[];
  catchUpBatch: number;
};
export type WorkerMessage =
  | { kind: 'progress'; progress: Progress }
  | { kind: 'done'; position: number }
  | { kind: 'failed'; message: string };

const readsHeartbeats = (target: Target) => target.projection.eventTypes.includes('PlaybackProgressed');

const roundRobin = (targets: readonly Target[], groups: number): Target[][] => {
  const buckets = Array.from({ length: Math.max(1, Math.min(groups, targets.length)) }, () => [] as Target[]);
  for (const [i, target] of targets.entries()) buckets[i % buckets.length]?.push(target);
  return buckets.filter((b) => b.length > 0);
};

/** Splits targets into at most `groups` groups: the heartbeat readers together, the rest spread over the others. */
export const partition = (targets: readonly Target[], groups: number): Target[][] => {
  const heavy = targets.filter(readsHeartbeats);
  const light = targets.filter((t) => !readsHeartbeats(t));
  if (groups <= 1 || heavy.length === 0 || light.length === 0) return roundRobin(targets, groups);
  return [heavy, ...roundRobin(light, groups - 1)];
};

/** Only the registered projections can be named to a worker, which loads its own copy of them. */
export const canRunInWorkers = (targets: readonly Target[]) =>
  targets.every((t) => allProjections.includes(t.projection));

const startWorker = (task: WorkerTask) => {
  const module = new URL(`./rebuild-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
  // A fold makes many short-lived objects: a larger young generation collects them less often.
  const options = { workerData: task, resourceLimits: { maxYoungGenerationSizeMb: 64 } };
  // Source runs under tsx, whose loader a worker does not inherit: register it first.
  return module.endsWith('.ts')
    ? new Worker(
        `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(module)}); })`,
        { ...options, eval: true },
      )
    : new Worker(new URL(module), options);
};

/** Runs the targets in worker threads; resolves with the lowest position every group reached. */
export const runInWorkers = async (options: {
  urls: StoreUrls;
  targets: readonly Target[];
  catchUpBatch: number;
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}): Promise<{ position: number }> => {
  const groups = partition(options.targets, options.workers ?? Math.min(2, availableParallelism()));
  const progress = new Map<number, Progress>();
  const report = () => {
    const all = [...progress.values()];
    if (all.length === 0) return;
    options.onProgress?.({
      position: Math.min(...all.map((p) => p.position)),
      head: Math.max(...all.map((p) => p.head)),
      from: Math.min(...all.map((p) => p.from)),
      startedAt: Math.min(...all.map((p) => p.startedAt)),
      events: all.reduce((total, p) => total + p.events, 0) / all.length,
    });
  };
  const workers = groups.map((group) =>
    startWorker({
      urls: options.urls,
      targets: group.map((t) => ({ projection: t.projection.name, collection: t.collection })),
      catchUpBatch: options.catchUpBatch,
    }),
  );
  const exited = workers.map((worker) => new Promise<void>((resolve) => worker.once('exit', () => resolve())));
  const stopAll = () => {
    for (const worker of workers) worker.postMessage('stop');
  };
  options.signal?.addEventListener('abort', stopAll, { once: true });
  try {
    const positions = await Promise.all(
      workers.map(
        (worker, i) =>
          new Promise<number>((resolve, reject) => {
            worker.on('message', (message: WorkerMessage) => {
              if (message.kind === 'progress') {
                progress.set(i, message.progress);
                report();
              } else if (message.kind === 'done') resolve(message.position);
              else
                reject(
                  new Error(
                    `Rebuilding ${groups[i]?.map((t) => t.projection.name).join(', ')} failed: ${message.message}`,
                  ),
                );
            });
            worker.once('error', reject);
            worker.once('exit', (code) =>
              code === 0 ? resolve(0) : reject(new Error(`A rebuild worker stopped with exit code ${code}.`)),
            );
          }),
      ),
    );
    return { position: Math.min(...positions) };
  } finally {
    options.signal?.removeEventListener('abort', stopAll);
    // Every worker closes its stores before the caller touches the collections again.
    stopAll();
    const deadline = setTimeout(() => {
      for (const worker of workers) void worker.terminate();
    }, 30_000);
    await Promise.all(exited);
    clearTimeout(deadline);
  }
};
