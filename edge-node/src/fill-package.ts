import {
  chooseEvictions,
  type EdgeState,
  FillLargerThanEdge,
  type FillPolicy,
  freeBytes,
  InsufficientCapacity,
  type PackageRef,
  packageKey,
} from '@marquee/domain';
import type { Logger } from '@marquee/platform';
import { DiskFull, type EdgeDisk } from './content-disk';
import type { EdgeMetrics } from './edge-metrics';
import type { EdgeStream } from './edge-stream';
import { downloadPackage, fetchPackageIndex, packageSource } from './fill-download';
import { noReuse, type Reuse, reuseHeldFiles } from './fill-reuse';
import type { FillReason, FillSchedule, QueuedFill } from './fill-schedule';
import { UpstreamError } from './upstream';

/*
 * One fill, start to end: the upstream's index (its size), room made by the eviction policy,
 * EdgeFillStarted, the download, then EdgeFillCompleted, or EdgeFillFailed with the reason. A
 * fill that could not start goes back to the schedule, which tries it again or gives it up.
 */

/** A fill in progress, as `/status` shows it. */
export type ActiveFill = {
  titleId: string;
  encodingId: string;
  reason: FillReason;
  controller: AbortController;
  startedAt: Date;
  bytes: number;
  bytesDone: number;
  /** Of `bytesDone`, what was taken from packages of the title already held rather than downloaded. */
  reusedBytes: number;
  /** The held files it hard-linked, by inode: an eviction meanwhile does not free them. */
  linked?: ReadonlyMap<string, number>;
  /** Set when the fill is stopped on purpose: whoever stopped it deals with the aftermath. */
  stoppedFor?: 'unpublished' | 'shutdown';
  done: Promise<void>;
};

export type FillContext = {
  /** Runs a fill's claim on the disk (evict to make room, then start) after any other fill's. */
  claimInTurn: <T>(claim: () => Promise<T>) => Promise<T>;
  edge: EdgeStream;
  disk: EdgeDisk;
  /** Which packages may go to make room, and in what order (the domain's fill policy). */
  policy: FillPolicy;
  /** Predicted popularity by title id, when the policy ranks by it. */
  scores: () => ReadonlyMap<string, number> | undefined;
  schedule: FillSchedule;
  /** The fills in progress (never evicted to make room). */
  active: ReadonlyMap<string, ActiveFill>;
  /** Held packages that must stay besides the fills (superseded revisions viewers are still on). */
  inUse: () => ReadonlySet<string>;
  upstream: string;
  contentTokenSecret: string;
  concurrency: number;
  metrics: EdgeMetrics;
  logger: Logger;
  now: () => Date;
  /** Saves the checkpoint: the publishes not yet started changed. */
  persist: () => Promise<void>;
  /** Keeps a failure for `/status`. */
  remember: (item: { titleId: string; encodingId: string }, reason: string) => void;
  /** Keeps a completed fill for `/status`. */
  completed: (fill: CompletedFill) => void;
};

export type CompletedFill = {
  titleId: string;
  encodingId: string;
  bytes: number;
  /** Of `bytes`, the files it shares by hard link with held packages of the title (they take no room twice). */
  sharedBytes: number;
  downloadedBytes: number;
  reusedBytes: number;
  seconds: number;
  at: string;
};

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

type Registered = Extract<EdgeState, { status: 'registered' }>;

/**
 * The room an eviction weighs. What is free is the edge stream's (a file shared by hard link is held
 * by one package there, so it is what the disk has, and what StartFill checks); what a held package
 * frees is asked of the disk: only the files no other held package (nor a fill in progress) links,
 * so the edge expects no more from an eviction than it gets.
 */
export const roomOnDisk = (state: Registered, disk: EdgeDisk, active: ReadonlyMap<string, ActiveFill>) => {
  const linkedByFills = new Set([...active.values()].flatMap((fill) => [...(fill.linked?.keys() ?? [])]));
  return {
    held: state.held.map((item) => ({ ...item, bytes: disk.freedByRemoving([item], linkedByFills) })),
    freeBytes: freeBytes(state),
  };
};

/** Per holder, the bytes `more` counts for it beyond `less`, where there are any (by encoding). */
const bytesBeyond = (
  holders: readonly PackageRef[],
  more: ReadonlyMap<string, number>,
  less: ReadonlyMap<string, number>,
) =>
  holders.flatMap(({ encodingId }) => {
    const bytes = (more.get(encodingId) ?? 0) - (less.get(encodingId) ?? 0);
    return bytes > 0 ? [{ encodingId, bytes }] : [];
  });

/**
 * Of a package just placed on the disk, the bytes each held package of its title (`holders`, in
 * the order they were filled) was charged with and no longer is: the files it links from them,
 * each counted for the last holder that had it (CompleteFill's `shared`).
 */
const sharedOnDisk = (disk: EdgeDisk, item: PackageRef, holders: readonly PackageRef[]) =>
  bytesBeyond(holders, disk.chargedTo(holders), disk.chargedTo([...holders, item]));

/**
 * What a package leaving the disk leaves to the held revisions of its title (EvictEncoding's
 * `kept`): the bytes each is charged with on the disk without it, beyond what the stream holds for
 * it, the shared files the package had taken over. Asked before the package is removed, or after
 * it went missing (a crash before its eviction was recorded, an operator's `rm`).
 */
export const keptOnDisk = async (context: Pick<FillContext, 'edge' | 'disk'>, item: PackageRef) => {
  const { disk } = context;
  const state = await context.edge.registered();
  const staying = state.held.filter(
    (held) =>
      held.titleId === item.titleId && held.encodingId !== item.encodingId && disk.holds(held.titleId, held.encodingId),
  );
  return bytesBeyond(staying, disk.chargedTo(staying), new Map(staying.map((held) => [held.encodingId, held.bytes])));
};

/** Evicts what the eviction policy picks until the incoming package fits. */
const makeRoom = async (context: FillContext, incoming: PackageRef & { bytes: number }) => {
  const { edge, disk, logger } = context;
  const state = await edge.registered();
  const scores = context.scores();
  const victims = chooseEvictions({
    policy: context.policy,
    ...roomOnDisk(state, disk, context.active),
    capacityBytes: state.config.capacityBytes,
    incoming,
    lastServedAt: new Map(disk.held().map((entry) => [packageKey(entry), entry.lastServedAt])),
    ...(scores && { scores }),
    busy: new Set([...context.active.keys(), ...context.inUse()]),
  });
  for (const { titleId, encodingId, bytes: freed } of victims) {
    const kept = await keptOnDisk(context, { titleId, encodingId });
    await disk.remove(titleId, encodingId);
    await edge.decide({
      type: 'EvictEncoding',
      titleId,
      encodingId,
      reason: 'capacity',
      kept,
      at: context.now().toISOString(),
    });
    logger.info({ titleId, encodingId, bytes: freed }, 'evicted to make room');
  }
};

export const fillPackage = async (context: FillContext, item: QueuedFill, entry: ActiveFill) => {
  const { edge, disk, schedule, metrics, logger } = context;
  const { titleId, encodingId } = item;
  const at = () => context.now().toISOString();
  const source = packageSource({
    upstream: context.upstream,
    contentTokenSecret: context.contentTokenSecret,
    titleId,
    encodingId,
  });
  let startedOnStream = false;
  try {
    const fetched = await fetchPackageIndex(source, entry.controller.signal);
    entry.bytes = fetched.bytes;

    let reuse: Reuse = noReuse();
    await context.claimInTurn(async () => {
      // Before any eviction makes room: the package evicted may be the revision it shares files with,
      // and a hard link keeps them (they take no room of their own).
      if (!disk.holds(titleId, encodingId)) reuse = await reuseHeldFiles(disk, fetched.index);
      entry.linked = reuse.inodes;
      const state = await edge.registered();
      const alreadyStarted = state.filling.some((f) => packageKey(f) === packageKey(item));
      if (!alreadyStarted && !state.held.some((h) => packageKey(h) === packageKey(item))) {
        const linkedBytes = [...reuse.inodes.values()].reduce((total, size) => total + size, 0);
        await makeRoom(context, { titleId, encodingId, bytes: fetched.bytes - linkedBytes });
        // The fill claims what it adds to the disk: a linked file an eviction just left it alone with counts.
        const claim = fetched.bytes - disk.heldBytesOf(reuse.inodes);
        await edge.decide({ type: 'StartFill', titleId, encodingId, bytes: claim, at: at() });
      }
    });
    startedOnStream = true;
    entry.reusedBytes = reuse.reusedBytes;
    // From here the stream remembers the fill, so the checkpoint no longer has to.
    if (schedule.dequeue(item)) await context.persist();

    await downloadPackage({
      disk,
      source,
      fetched,
      concurrency: context.concurrency,
      limiter: schedule.limiter,
      signal: entry.controller.signal,
      progress: entry,
      metrics,
      logger,
    });
    const seconds = Math.round((context.now().getTime() - entry.startedAt.getTime()) / 10) / 100;
    const { reusedBytes } = reuse;
    // Whatever was not taken from this disk came from the upstream, in this run or before a restart.
    const downloadedBytes = fetched.bytes - reusedBytes;
    const when = at();
    // In turn with evictions: the packages it shares files with are still held when it says so.
    const shared = await context.claimInTurn(async () => {
      const state = await edge.registered();
      const holders = state.held.filter((held) => held.titleId === titleId && held.encodingId !== encodingId);
      const shared = sharedOnDisk(disk, item, holders);
      await edge.decide({
        type: 'CompleteFill',
        titleId,
        encodingId,
        bytes: fetched.bytes,
        seconds,
        downloadedBytes,
        reusedBytes,
        ...(shared.length > 0 && { shared }),
        at: when,
      });
      return shared;
    });
    metrics.fillFinished('completed', seconds);
    metrics.reused(reusedBytes);
    context.completed({
      titleId,
      encodingId,
      bytes: fetched.bytes,
      sharedBytes: shared.reduce((total, share) => total + share.bytes, 0),
      downloadedBytes,
      reusedBytes,
      seconds,
      at: when,
    });
    logger.info(
      {
        titleId,
        encodingId,
        bytes: fetched.bytes,
        shared,
        downloadedBytes,
        reusedBytes,
        reusedFiles: reuse.files,
        seconds,
        reason: item.reason,
      },
      'fill completed',
    );
  } catch (error) {
    if (entry.stoppedFor) {
      metrics.fillFinished('cancelled');
      return;
    }
    const reason = describe(error);
    if (startedOnStream) {
      await disk.remove(titleId, encodingId);
      await edge.decide({ type: 'FailFill', titleId, encodingId, reason, at: at() });
      metrics.fillFinished('failed');
      context.remember(item, reason);
      // A full disk is the edge's own trouble, not the package's: room may be made by then.
      const retryAt = error instanceof DiskFull ? schedule.retryLater(item) : undefined;
      if (retryAt) await context.persist();
      logger.error({ titleId, encodingId, reason, ...(retryAt && { retryAt: retryAt.toISOString() }) }, 'fill failed');
      return;
    }
    // Not started, because the popularity policy would evict only titles more popular than this
    // one: the policy's answer, not a failure. Its next plan (or a later miss) asks again.
    if (error instanceof InsufficientCapacity && context.policy === 'popularity') {
      if (schedule.dequeue(item)) await context.persist();
      if (!disk.holds(titleId, encodingId)) await disk.remove(titleId, encodingId);
      logger.info(
        { titleId, encodingId, reason: item.reason },
        'not filled: everything it would evict is more popular',
      );
      return;
    }
    // Not started: a package that can never be had (no index, larger than the edge) is given up;
    // anything else (the upstream down, no room while other fills run) is tried again later.
    const permanent = (error instanceof UpstreamError && error.permanent) || error instanceof FillLargerThanEdge;
    if (schedule.couldNotStart(item, permanent) === 'given up') {
      // Files linked from held packages for it must not keep their bytes on disk.
      if (!disk.holds(titleId, encodingId)) await disk.remove(titleId, encodingId);
      await context.persist();
      context.remember(item, reason);
      logger.error({ titleId, encodingId, reason }, 'fill given up before it started');
    } else
      logger.warn({ titleId, encodingId, reason, attempt: item.attempts }, 'fill could not start; trying again later');
  }
};
