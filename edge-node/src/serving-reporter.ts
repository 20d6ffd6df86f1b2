import { streamName } from '@marquee/domain';
import { deterministicId, type EventStore, type Logger, toEventsToAppend } from '@marquee/platform';
import type { ServingReport, ServingSpool } from './serving-spool';
import {
  createServingTally,
  defaultServingCaps,
  isEmptyTally,
  recordServed,
  type ServedRequest,
  type ServingCaps,
  type ServingTally,
  servingFigures,
} from './serving-tally';

/*
 * Serving telemetry: every content request the node answers is counted into the interval it
 * finished in (intervals aligned to the clock, TELEMETRY_INTERVAL_SECONDS long). When an interval
 * closes it is spooled to disk, then appended as one ServingReported with an id derived from the
 * node and the interval's start, then forgotten: a crash anywhere in between appends the same
 * event again, which the store writes once. Only the interval in flight lives in memory alone.
 * An event store that does not answer leaves intervals in the spool, retried with backoff; the
 * requests themselves never wait for any of this (recording is a synchronous count).
 */

export type ServingNode = { nodeId: string; role: 'edge' | 'origin'; region: string | null };

export type ServingTelemetryStatus = {
  intervalSeconds: number;
  lastReportedAt: string | null;
  /** Closed intervals spooled on disk, not yet in the log. */
  pendingIntervals: number;
};

export type ServingReporter = {
  /** One answered request; `at` (default now) picks its interval (nginx's log lines come a moment late). */
  record(served: ServedRequest, at?: Date): void;
  /** Closes the intervals that are over and appends what is spooled: called every moment by a timer, or by a test. */
  tick(): Promise<void>;
  /** A graceful stop: the interval in flight is closed early and everything is appended if the store answers. */
  close(): Promise<void>;
  status(): ServingTelemetryStatus;
};

export const servingEventId = (nodeId: string, intervalStart: string) =>
  deterministicId(['serving', nodeId, intervalStart]);

export const startServingReporter = async (options: {
  node: ServingNode;
  eventStore: Pick<EventStore, 'appendToStream'>;
  spool: ServingSpool;
  intervalSeconds: number;
  /** How long after its end an interval stays open to late requests (nginx's access log is read up to ~2 s late). */
  graceMs?: number;
  caps?: ServingCaps;
  /** Retries after a failed append: the first delay, doubled up to the last. */
  backoff?: { firstMs: number; maxMs: number };
  onReported?: () => void;
  logger: Logger;
  now: () => Date;
}): Promise<ServingReporter> => {
  const { node, spool, logger, now } = options;
  const intervalMs = options.intervalSeconds * 1000;
  const graceMs = options.graceMs ?? 0;
  const backoff = options.backoff ?? { firstMs: 1000, maxMs: 60_000 };
  const stream = streamName('serving', node.nodeId);
  const open = new Map<number, ServingTally>();
  const pending = await spool.pending();
  const last = await spool.lastReported();
  // No interval this node already spooled or reported is counted into again: its id is taken.
  const taken = [...pending, ...(last ? [last] : [])].map(Date.parse);
  let closedBefore = taken.length > 0 ? Math.max(...taken) + intervalMs : 0;
  let lastReportedAt: string | null = null;
  let failures = 0;
  let retryAt = 0;
  let running: Promise<void> | undefined;

  const intervalOf = (atMs: number) => Math.max(Math.floor(atMs / intervalMs) * intervalMs, closedBefore);

  const closeInterval = async (startMs: number, tally: ServingTally) => {
    open.delete(startMs);
    closedBefore = Math.max(closedBefore, startMs + intervalMs);
    if (isEmptyTally(tally)) return;
    const report: ServingReport = {
      nodeId: node.nodeId,
      role: node.role,
      region: node.region,
      intervalStart: new Date(startMs).toISOString(),
      intervalSeconds: options.intervalSeconds,
      ...servingFigures(tally, options.caps ?? defaultServingCaps),
      at: now().toISOString(),
    };
    try {
      await spool.write(report);
      pending.push(report.intervalStart);
    } catch (error) {
      // A full or broken disk: the interval can still reach the log now, only not survive a crash.
      logger.error({ error: String(error), intervalStart: report.intervalStart }, 'serving interval not spooled');
      await append(report).catch((appendError) =>
        logger.error({ error: String(appendError) }, 'serving interval lost: neither spooled nor appended'),
      );
    }
  };

  const append = async (report: ServingReport) => {
    const events = toEventsToAppend(stream, [{ type: 'ServingReported', data: report }]).map((event) => ({
      ...event,
      id: servingEventId(node.nodeId, report.intervalStart),
    }));
    await options.eventStore.appendToStream(stream, events, { expectedRevision: 'any' });
    lastReportedAt = now().toISOString();
    options.onReported?.();
  };

  const appendPending = async () => {
    while (pending.length > 0 && now().getTime() >= retryAt) {
      const intervalStart = pending[0] as string;
      let report: ServingReport;
      try {
        report = await spool.read(intervalStart);
      } catch (error) {
        // Not a store outage: retrying would block every interval after it.
        logger.error({ error: String(error), intervalStart }, 'spooled serving interval unreadable; set aside');
        await spool.reject(intervalStart).catch(() => {});
        pending.shift();
        continue;
      }
      try {
        await append(report);
        await spool.reported(intervalStart);
        pending.shift();
        if (failures > 0) logger.info({ pendingIntervals: pending.length }, 'serving telemetry reaches the log again');
        failures = 0;
      } catch (error) {
        failures += 1;
        retryAt = now().getTime() + Math.min(backoff.maxMs, backoff.firstMs * 2 ** (failures - 1));
        // Once per outage, not once per retry; /status shows the intervals waiting meanwhile.
        if (failures === 1)
          logger.warn(
            { error: error instanceof Error ? error.message : String(error), pendingIntervals: pending.length },
            'serving telemetry not appended; kept on disk and retried with backoff',
          );
        return;
      }
    }
  };

  const closeDue = async (all: boolean) => {
    const nowMs = now().getTime();
    for (const startMs of [...open.keys()].sort((a, b) => a - b)) {
      const tally = open.get(startMs);
      if (tally && (all || startMs + intervalMs + graceMs <= nowMs)) await closeInterval(startMs, tally);
    }
  };

  // One pass at a time; a tick while one runs (a slow store) waits for the next tick.
  const exclusive = (work: () => Promise<void>) => {
    running ??= work()
      .catch((error) => logger.error({ error: String(error) }, 'serving telemetry failed'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  return {
    record: (served, at = now()) => {
      const startMs = intervalOf(at.getTime());
      let tally = open.get(startMs);
      if (!tally) {
        tally = createServingTally();
        open.set(startMs, tally);
      }
      recordServed(tally, served);
    },
    tick: () =>
      exclusive(async () => {
        await closeDue(false);
        await appendPending();
      }),
    close: async () => {
      await running;
      await exclusive(async () => {
        await closeDue(true);
        retryAt = 0;
        await appendPending();
      });
    },
    status: () => ({ intervalSeconds: options.intervalSeconds, lastReportedAt, pendingIntervals: pending.length }),
  };
};
