import { open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type EdgeCommand,
  type EdgeState,
  edgeDecider,
  FillLargerThanEdge,
  freeBytes,
  InsufficientCapacity,
  streamName,
} from '@marquee/domain';
import {
  aggregateStream,
  contentPathPrefix,
  createAggregateCache,
  type EventStore,
  handleCommand,
  type Logger,
  mapFewAtATime,
  type PackageFile,
  packageIndexFileName,
  parsePackageIndex,
  readDomainEvent,
  signContentToken,
} from '@marquee/platform';
import type { EdgeDisk } from './content-disk';
import { type FillWindow, isInsideWindow } from './edge-config';
import type { EdgeMetrics } from './edge-metrics';
import { createRateLimiter, downloadVerified, fetchUpstreamText, redact, UpstreamError } from './upstream';

/*
 * The fill agent: follows TitlePublished / TitleUnpublished from its own checkpoint (a file on
 * the edge's disk) and keeps the disk holding what is published, as far as capacity allows.
 *
 * Nothing is lost to a crash. The checkpoint file holds the log position and the publishes not
 * yet started (waiting for the fill window, or for their turn), written together in one rename.
 * A fill that started is on the edge's stream (EdgeFillStarted without an end), so a restart
 * resumes it, downloading only the files not yet verified. Every step is idempotent in the
 * domain (starting a fill already started, completing one already complete append nothing),
 * so a step replayed after a crash writes no duplicate.
 */

type Reason = 'published' | 'demand' | 'resume';
type Queued = {
  titleId: string;
  encodingId: string;
  reason: Reason;
  queuedAt: string;
  /** Came from TitlePublished: kept in the checkpoint until its fill has started. */
  fromPublish: boolean;
  attempts: number;
  retryAt?: number;
};
type Active = {
  titleId: string;
  encodingId: string;
  reason: Reason;
  controller: AbortController;
  startedAt: number;
  bytes: number;
  bytesDone: number;
  /** Set when the fill is stopped on purpose: whoever stopped it deals with the aftermath. */
  stoppedFor?: 'unpublished' | 'shutdown';
  done: Promise<void>;
};
type Checkpoint = {
  position: number | null;
  pending: Omit<Queued, 'attempts' | 'retryAt' | 'fromPublish'>[];
  /** Encodings unpublished since: a viewer's miss must not fill them again. */
  withdrawn?: string[];
};

export type FillStatus = {
  windowOpen: boolean;
  fillWindow: string | null;
  rateCapMbps: number | null;
  checkpoint: number | null;
  filling: {
    titleId: string;
    encodingId: string;
    reason: Reason;
    bytes: number;
    bytesDone: number;
    startedAt: string;
  }[];
  waiting: {
    titleId: string;
    encodingId: string;
    reason: Reason;
    queuedAt: string;
    waitingFor: 'fill window' | 'a free slot' | 'a retry';
    retryAt?: string;
  }[];
  recentFailures: { titleId: string; encodingId: string; reason: string; at: string }[];
};

export type FillAgentOptions = {
  edgeId: string;
  eventStore: EventStore;
  disk: EdgeDisk;
  /** The upstream's base URL: the origin, or another edge. */
  upstream: string;
  contentTokenSecret: string;
  /** Files of one package downloaded at the same time. */
  concurrency: number;
  fillWindow?: FillWindow | undefined;
  rateBytesPerSecond?: number | undefined;
  checkpointFile: string;
  metrics: EdgeMetrics;
  logger: Logger;
  /** Packages filled at the same time. */
  parallelFills?: number;
  now?: () => Date;
  /** Following the log failed for good (the process should exit; a restart resumes). */
  onFatal?: (error: unknown) => void;
};

export type FillAgent = {
  /** A viewer asked for something this edge does not hold: fill it now, whatever the window. */
  requestFill(titleId: string, encodingId: string): void;
  status(): FillStatus;
  /** Stops following the log and interrupts fills; they resume on the next start. */
  close(): Promise<void>;
};

const keyOf = (item: { titleId: string; encodingId: string }) => `${item.titleId}/${item.encodingId}`;
const maxAttemptsBeforeStart = 6;
const fileAttempts = { mismatch: 2, network: 3 };

const readCheckpoint = async (path: string): Promise<Checkpoint> => {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Checkpoint;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { position: null, pending: [] };
    throw error;
  }
};

/** Written to a temporary file, flushed, and renamed over the old one: never half a checkpoint. */
const writeCheckpoint = async (path: string, checkpoint: Checkpoint) => {
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(JSON.stringify(checkpoint));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
};

const sizeOf = (path: string) =>
  stat(path).then(
    (stats) => stats.size,
    () => -1,
  );

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const startFillAgent = async (options: FillAgentOptions): Promise<FillAgent> => {
  const { edgeId, eventStore, disk, metrics, logger } = options;
  const now = options.now ?? (() => new Date());
  const stream = streamName('edge', edgeId);
  const cache = createAggregateCache(4);
  const limiter = options.rateBytesPerSecond ? createRateLimiter(options.rateBytesPerSecond) : undefined;
  const upstream = options.upstream.replace(/\/+$/, '');
  const parallelFills = options.parallelFills ?? 2;

  const currentState = async (): Promise<EdgeState> =>
    (await aggregateStream(eventStore, stream, edgeDecider, cache)).state;
  const decide = (command: EdgeCommand) =>
    handleCommand(eventStore, stream, edgeDecider, command, { retries: 3, cache });
  const registered = async () => {
    const state = await currentState();
    if (state.status !== 'registered') throw new Error(`edge ${edgeId} must register before it fills`);
    return state;
  };
  const at = () => now().toISOString();

  const saved = await readCheckpoint(options.checkpointFile);
  let position = saved.position;
  const queue: Queued[] = saved.pending.map((item) => ({ ...item, fromPublish: true, attempts: 0 }));
  const withdrawn = new Set(saved.withdrawn ?? []);
  const active = new Map<string, Active>();
  const failures: FillStatus['recentFailures'] = [];
  let closing = false;

  let writing = Promise.resolve();
  const persist = () => {
    const checkpoint: Checkpoint = {
      position,
      pending: queue
        .filter((item) => item.fromPublish)
        .map(({ titleId, encodingId, reason, queuedAt }) => ({ titleId, encodingId, reason, queuedAt })),
      withdrawn: [...withdrawn],
    };
    // One failed write must not fail every later one.
    writing = writing.catch(() => {}).then(() => writeCheckpoint(options.checkpointFile, checkpoint));
    return writing;
  };
  const dequeue = (item: { titleId: string; encodingId: string }) => {
    const index = queue.findIndex((queued) => keyOf(queued) === keyOf(item));
    if (index >= 0) queue.splice(index, 1);
    return index >= 0;
  };
  const remember = (item: { titleId: string; encodingId: string }, reason: string) => {
    failures.unshift({ titleId: item.titleId, encodingId: item.encodingId, reason, at: at() });
    failures.length = Math.min(failures.length, 20);
  };

  /** Evicts the least recently served packages until `bytes` fit. */
  const makeRoom = async (bytes: number) => {
    let state = await registered();
    if (bytes > state.config.capacityBytes) throw new FillLargerThanEdge(bytes, state.config.capacityBytes);
    while (freeBytes(state) < bytes) {
      const lastServed = new Map(disk.held().map((entry) => [keyOf(entry), entry.lastServedAt]));
      const victim = state.held
        .filter((entry) => !active.has(keyOf(entry)))
        .toSorted((a, b) => (lastServed.get(keyOf(a)) ?? 0) - (lastServed.get(keyOf(b)) ?? 0))[0];
      if (!victim) throw new InsufficientCapacity(bytes, freeBytes(state));
      await disk.remove(victim.titleId, victim.encodingId);
      await decide({
        type: 'EvictEncoding',
        titleId: victim.titleId,
        encodingId: victim.encodingId,
        reason: 'capacity',
        at: at(),
      });
      logger.info(
        { titleId: victim.titleId, encodingId: victim.encodingId, bytes: victim.bytes },
        'evicted to make room',
      );
      state = await registered();
    }
  };

  const downloadFile = async (fill: Active, dir: string, base: string, token: string, file: PackageFile) => {
    const destination = join(dir, ...file.path.split('/'));
    for (let attempt = 1; ; attempt++) {
      let done = 0;
      try {
        await downloadVerified({
          url: `${base}${file.path.split('/').map(encodeURIComponent).join('/')}?token=${token}`,
          expected: file,
          destination,
          temporary: disk.temporaryBeside(destination),
          limiter,
          // A signal of its own per file: the fill's would collect a listener for every file.
          signal: AbortSignal.any([fill.controller.signal]),
          onBytes: (bytes) => {
            done += bytes;
            fill.bytesDone += bytes;
            metrics.filled(bytes);
          },
        });
        return;
      } catch (error) {
        fill.bytesDone -= done;
        if (fill.controller.signal.aborted) throw error;
        // A wrong answer is fetched once more; a connection cut mid-file a few times, with a pause.
        const permanent = error instanceof UpstreamError && error.permanent;
        if (attempt >= (permanent ? fileAttempts.mismatch : fileAttempts.network)) throw error;
        logger.warn({ file: file.path, attempt, problem: describe(error) }, 'fill download failed; fetching it again');
        await new Promise((resolve) => setTimeout(resolve, permanent ? 0 : 250 * 2 ** attempt));
      }
    }
  };

  const fill = async (item: Queued, entry: Active) => {
    const { titleId, encodingId } = item;
    const prefix = contentPathPrefix(titleId, encodingId);
    const base = `${upstream}${prefix}`;
    const { token } = signContentToken(options.contentTokenSecret, prefix, { ttlSeconds: 6 * 3600 });
    const started = performance.now();
    let startedOnStream = false;
    try {
      const indexText = await fetchUpstreamText(
        `${base}${packageIndexFileName}?token=${token}`,
        entry.controller.signal,
      );
      const { index } = parsePackageIndex(indexText, redact(`${base}${packageIndexFileName}`));
      if (index.titleId !== titleId || index.encodingId !== encodingId)
        throw new UpstreamError(`the upstream's index.json describes ${index.titleId}/${index.encodingId}`, true);
      const bytes = index.totalBytes + Buffer.byteLength(indexText);
      entry.bytes = bytes;

      const state = await registered();
      const alreadyStarted = state.filling.some((f) => keyOf(f) === keyOf(item));
      if (!alreadyStarted && !state.held.some((h) => keyOf(h) === keyOf(item))) {
        await makeRoom(bytes);
        await decide({ type: 'StartFill', titleId, encodingId, bytes, at: at() });
      }
      startedOnStream = true;
      // From here the stream remembers the fill, so the checkpoint no longer has to.
      if (dequeue(item)) await persist();

      if (!disk.holds(titleId, encodingId)) {
        const dir = disk.partialDir(titleId, encodingId);
        await removeUnfinished(dir);
        const missing: PackageFile[] = [];
        for (const file of index.files) {
          if ((await sizeOf(join(dir, ...file.path.split('/')))) === file.size) entry.bytesDone += file.size;
          else missing.push(file);
        }
        await mapFewAtATime(missing, (file) => downloadFile(entry, dir, base, token, file), options.concurrency);
        await writeFile(join(dir, packageIndexFileName), indexText);
        await disk.install(titleId, encodingId);
      }
      const seconds = Math.round((performance.now() - started) / 10) / 100;
      await decide({ type: 'CompleteFill', titleId, encodingId, bytes, seconds, at: at() });
      metrics.fillFinished('completed', seconds);
      logger.info({ titleId, encodingId, bytes, seconds, reason: item.reason }, 'fill completed');
    } catch (error) {
      if (entry.stoppedFor) {
        metrics.fillFinished('cancelled');
        return;
      }
      const reason = describe(error);
      if (startedOnStream) {
        await disk.remove(titleId, encodingId);
        await decide({ type: 'FailFill', titleId, encodingId, reason, at: at() });
        metrics.fillFinished('failed');
        remember(item, reason);
        logger.error({ titleId, encodingId, reason }, 'fill failed');
        return;
      }
      // Not started: a package that can never be had (no index, larger than the edge) is given up;
      // anything else (the upstream down, no room while other fills run) is tried again later, and
      // a publish is never dropped for it: it waits, backing off up to a minute between tries.
      const permanent = (error instanceof UpstreamError && error.permanent) || error instanceof FillLargerThanEdge;
      item.attempts += 1;
      if (permanent || (!item.fromPublish && item.attempts >= maxAttemptsBeforeStart)) {
        dequeue(item);
        await persist();
        remember(item, reason);
        logger.error({ titleId, encodingId, reason }, 'fill given up before it started');
      } else {
        item.retryAt = Date.now() + Math.min(60_000, 1000 * 2 ** item.attempts);
        logger.warn(
          { titleId, encodingId, reason, attempt: item.attempts },
          'fill could not start; trying again later',
        );
      }
    }
  };

  const pump = () => {
    if (closing) return;
    const windowOpen = isInsideWindow(options.fillWindow, now());
    while (active.size < parallelFills) {
      const item = queue.find(
        (queued) =>
          !active.has(keyOf(queued)) &&
          (queued.retryAt ?? 0) <= Date.now() &&
          (queued.reason !== 'published' || windowOpen),
      );
      if (!item) return;
      const entry: Active = {
        titleId: item.titleId,
        encodingId: item.encodingId,
        reason: item.reason,
        controller: new AbortController(),
        startedAt: Date.now(),
        bytes: 0,
        bytesDone: 0,
        done: Promise.resolve(),
      };
      active.set(keyOf(item), entry);
      entry.done = fill(item, entry)
        .catch((error) => logger.error({ error: describe(error), item: keyOf(item) }, 'fill bookkeeping failed'))
        .finally(() => {
          active.delete(keyOf(item));
          pump();
        });
    }
  };

  const enqueue = (item: Omit<Queued, 'attempts' | 'queuedAt' | 'fromPublish'>, first = false) => {
    // A resumed fill may find its package already moved into place (killed before reporting it):
    // it still runs, to append EdgeFillCompleted.
    if (item.reason !== 'resume' && disk.holds(item.titleId, item.encodingId)) return false;
    if (active.has(keyOf(item))) return false;
    const waiting = queue.find((queued) => keyOf(queued) === keyOf(item));
    if (waiting) {
      if (item.reason === 'published') waiting.fromPublish = true;
      return false;
    }
    const queued = { ...item, fromPublish: item.reason === 'published', attempts: 0, queuedAt: at() };
    if (first) queue.unshift(queued);
    else queue.push(queued);
    return true;
  };

  const withdraw = async (titleId: string, encodingId: string) => {
    withdrawn.add(keyOf({ titleId, encodingId }));
    dequeue({ titleId, encodingId });
    const running = active.get(keyOf({ titleId, encodingId }));
    if (running) {
      running.stoppedFor = 'unpublished';
      running.controller.abort();
      await running.done;
    }
    const state = await registered();
    const stored = [...state.held, ...state.filling].some((entry) => keyOf(entry) === keyOf({ titleId, encodingId }));
    await disk.remove(titleId, encodingId);
    if (stored) {
      await decide({ type: 'EvictEncoding', titleId, encodingId, reason: 'unpublished', at: at() });
      logger.info({ titleId, encodingId }, 'evicted: the title was unpublished');
    }
  };

  // What the stream and the disk say after the last run: finish what started, drop what is not ours.
  const reconcile = async () => {
    const state = await registered();
    for (const filling of state.filling) enqueue({ ...filling, reason: 'resume' }, true);
    for (const held of state.held) {
      if (disk.holds(held.titleId, held.encodingId)) continue;
      await decide({
        type: 'EvictEncoding',
        titleId: held.titleId,
        encodingId: held.encodingId,
        reason: 'operator',
        at: at(),
      });
      logger.warn({ titleId: held.titleId, encodingId: held.encodingId }, 'a held package was missing from disk');
    }
    const known = new Set([...state.held, ...state.filling].map(keyOf));
    for (const entry of disk.held()) if (!known.has(keyOf(entry))) await disk.remove(entry.titleId, entry.encodingId);
  };
  await reconcile();

  const subscription = eventStore.subscribe({
    from: position ?? 'start',
    filter: { eventTypes: ['TitlePublished', 'TitleUnpublished'] },
  });
  const following = (async () => {
    for await (const recorded of subscription) {
      const event = readDomainEvent(recorded);
      if (event.type === 'TitlePublished') {
        const { titleId, encodingId } = event.data;
        withdrawn.delete(keyOf({ titleId, encodingId }));
        if (enqueue({ titleId, encodingId, reason: 'published' }))
          logger.info({ titleId, encodingId }, 'title published: queued for fill');
      } else if (event.type === 'TitleUnpublished') {
        await withdraw(event.data.titleId, event.data.encodingId);
      }
      position = recorded.position;
      await persist();
      pump();
    }
  })().catch((error) => {
    if (closing) return;
    logger.fatal({ error: describe(error) }, 'following the log failed');
    // An edge that no longer follows the log must not go on looking healthy: a restart resumes it.
    options.onFatal?.(error);
  });

  // The window opens and retries come due without an event to wake the queue.
  const timer = setInterval(pump, 5_000);
  timer.unref();
  pump();

  return {
    requestFill: (titleId, encodingId) => {
      // Unpublished: the viewer's request is still streamed through, but nothing is stored.
      if (closing || withdrawn.has(keyOf({ titleId, encodingId }))) return;
      if (enqueue({ titleId, encodingId, reason: 'demand' }, true)) {
        logger.info({ titleId, encodingId }, 'miss: filling on demand');
        pump();
      } else {
        // Already waiting for the window: a viewer wants it now.
        const waiting = queue.find((queued) => keyOf(queued) === keyOf({ titleId, encodingId }));
        if (waiting && waiting.reason === 'published' && !active.has(keyOf(waiting))) {
          dequeue(waiting);
          queue.unshift({ ...waiting, reason: 'demand' });
          pump();
        }
      }
    },
    status: () => {
      const windowOpen = isInsideWindow(options.fillWindow, now());
      return {
        windowOpen,
        fillWindow: options.fillWindow?.text ?? null,
        rateCapMbps: options.rateBytesPerSecond ? (options.rateBytesPerSecond * 8) / 1e6 : null,
        checkpoint: position,
        filling: [...active.values()].map((entry) => ({
          titleId: entry.titleId,
          encodingId: entry.encodingId,
          reason: entry.reason,
          bytes: entry.bytes,
          bytesDone: entry.bytesDone,
          startedAt: new Date(entry.startedAt).toISOString(),
        })),
        waiting: queue
          .filter((item) => !active.has(keyOf(item)))
          .map((item) => ({
            titleId: item.titleId,
            encodingId: item.encodingId,
            reason: item.reason,
            queuedAt: item.queuedAt,
            waitingFor:
              item.retryAt && item.retryAt > Date.now()
                ? ('a retry' as const)
                : item.reason === 'published' && !windowOpen
                  ? ('fill window' as const)
                  : ('a free slot' as const),
            ...(item.retryAt && item.retryAt > Date.now() && { retryAt: new Date(item.retryAt).toISOString() }),
          })),
        recentFailures: [...failures],
      };
    },
    close: async () => {
      closing = true;
      clearInterval(timer);
      await subscription.close();
      await following;
      for (const entry of active.values()) {
        entry.stoppedFor = 'shutdown';
        entry.controller.abort();
      }
      await Promise.all([...active.values()].map((entry) => entry.done));
      await writing;
    },
  };
};

/** Downloads cut off by a crash leave `.part` files; they are started again from nothing. */
const removeUnfinished = async (dir: string) => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  await Promise.all(
    entries
      .filter((entry) => entry.isFile() && entry.name.endsWith('.part'))
      .map((entry) => rm(join(entry.parentPath, entry.name), { force: true })),
  );
};
