import { type MissClass, missClasses } from '@marquee/domain';
import { z } from 'zod';
import type { OriginEgress } from './origin-egress';
import {
  classifyHourBytes,
  emptyHourBytes,
  type HourBytes,
  type MissBytes,
  noMissBytes,
  type SessionDelivery,
} from './session-delivery';

/*
 * Offload and misses over a window, summed from session-delivery documents: a session's plays
 * count when it started in the window, its bytes by the hours they were served in. Pure, so the
 * query API, the analytics page and a test all sum the same way.
 */

const bytes = z.number().int().nonnegative();
const byClass = z.object({
  content: bytes.describe("No edge of the viewer's region held the title."),
  health: bytes.describe('An edge there held it, but was down or overloaded.'),
  steering: bytes.describe('An edge there held it and was healthy, but was not offered first.'),
});

export const deliveryFigures = z.object({
  edgeBytes: bytes.describe('Bytes edges sent viewers from their own disks (hits): what the edges offloaded.'),
  originBytes: bytes.describe('Bytes the origin sent viewers.'),
  offloadRatio: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe(
      'Edge hit bytes ÷ all bytes sent viewers (edge hits, edges pulling through, the origin); null when none were.',
    ),
  plays: z.number().int().nonnegative().describe('Sessions started in the window.'),
  missPlays: byClass.describe('Plays that did not start on an edge of their region holding the title, by why.'),
  missBytes: byClass.describe(
    "Bytes not sent from an edge's disk, by why: pulled through by an edge is content; the origin's take the start's class, or health when the session left its edge.",
  ),
});
export type DeliveryFigures = z.infer<typeof deliveryFigures>;

/** A window of time, [from, until), in milliseconds. */
export type DeliveryWindow = { fromMs: number; untilMs: number };
export type DeliveryBucket = 'hour' | 'day';

const hourMs = 3_600_000;
const bucketMs: Record<DeliveryBucket, number> = { hour: hourMs, day: 24 * hourMs };

/** Hours for windows up to two days, days beyond: a chart of tens of points either way. */
export const bucketFor = (window: DeliveryWindow): DeliveryBucket =>
  window.untilMs - window.fromMs <= 48 * hourMs ? 'hour' : 'day';

const bucketStart = (ms: number, bucket: DeliveryBucket) => ms - (ms % bucketMs[bucket]);

/** The hour [start, start + 1 h) overlaps the window. */
const hourIn = (hourStartMs: number, window: DeliveryWindow) =>
  hourStartMs + hourMs > window.fromMs && hourStartMs < window.untilMs;

type Tally = HourBytes & { plays: number; missPlays: Record<MissClass, number>; missBytes: MissBytes };
const emptyTally = (): Tally => ({
  ...emptyHourBytes,
  plays: 0,
  missPlays: { ...noMissBytes },
  missBytes: { ...noMissBytes },
});

const addPlay = (tally: Tally, session: SessionDelivery) => {
  tally.plays += 1;
  if (session.classified && session.startClass) tally.missPlays[session.startClass] += 1;
};
const addBytes = (tally: Tally, session: SessionDelivery, served: HourBytes) => {
  tally.edgeHitBytes += served.edgeHitBytes;
  tally.edgePulledBytes += served.edgePulledBytes;
  tally.originBytes += served.originBytes;
  const classes = classifyHourBytes(served, session);
  for (const missClass of missClasses) tally.missBytes[missClass] += classes[missClass];
};

export const figuresOf = (tally: Tally): DeliveryFigures => {
  const all = tally.edgeHitBytes + tally.edgePulledBytes + tally.originBytes;
  return {
    edgeBytes: tally.edgeHitBytes,
    originBytes: tally.originBytes,
    offloadRatio: all === 0 ? null : tally.edgeHitBytes / all,
    plays: tally.plays,
    missPlays: tally.missPlays,
    missBytes: tally.missBytes,
  };
};

/** A tally per key, made on first use. */
const tallies = <Key>() => {
  const map = new Map<Key, Tally>();
  return {
    map,
    of: (key: Key) => {
      const found = map.get(key);
      if (found) return found;
      const made = emptyTally();
      map.set(key, made);
      return made;
    },
  };
};

export type DeliverySummary = {
  bucket: DeliveryBucket;
  totals: DeliveryFigures & { originEgressBytes: number };
  byRegion: (DeliveryFigures & { region: string | null })[];
  byTitle: (DeliveryFigures & { titleId: string })[];
  series: (DeliveryFigures & { at: string })[];
};

/**
 * Sums sessions (each once, whatever days it was read by) and the origin's egress over a window,
 * optionally for one viewer region and one title.
 */
export const summarizeDelivery = (input: {
  sessions: Iterable<SessionDelivery>;
  egress: Iterable<OriginEgress>;
  window: DeliveryWindow;
  region?: string | undefined;
  titleId?: string | undefined;
}): DeliverySummary => {
  const { window } = input;
  const bucket = bucketFor(window);
  const total = emptyTally();
  const regions = tallies<string | null>();
  const titles = tallies<string>();
  const buckets = tallies<number>();
  for (let at = bucketStart(window.fromMs, bucket); at < window.untilMs; at += bucketMs[bucket]) buckets.of(at);

  for (const session of input.sessions) {
    if (input.region !== undefined && session.region !== input.region) continue;
    if (input.titleId !== undefined && session.titleId !== input.titleId) continue;
    const touched = [total, regions.of(session.region), titles.of(session.titleId)];
    const startedMs = session.startedAt === null ? null : Date.parse(session.startedAt);
    if (startedMs !== null && startedMs >= window.fromMs && startedMs < window.untilMs) {
      for (const tally of touched) addPlay(tally, session);
      addPlay(buckets.of(bucketStart(startedMs, bucket)), session);
    }
    for (const [hour, served] of Object.entries(session.hours)) {
      const hourMsStart = Date.parse(hour);
      if (!hourIn(hourMsStart, window)) continue;
      for (const tally of touched) addBytes(tally, session, served);
      addBytes(buckets.of(bucketStart(hourMsStart, bucket)), session, served);
    }
  }
  let originEgressBytes = 0;
  for (const entry of input.egress) {
    if (input.titleId !== undefined && entry.titleId !== input.titleId) continue;
    if (hourIn(Date.parse(entry.hour), window)) originEgressBytes += entry.bytes;
  }
  const active = <Key>(map: Map<Key, Tally>) =>
    [...map].filter(
      ([, tally]) => tally.plays > 0 || tally.edgeHitBytes + tally.edgePulledBytes + tally.originBytes > 0,
    );
  return {
    bucket,
    totals: { ...figuresOf(total), originEgressBytes },
    byRegion: active(regions.map)
      .map(([region, tally]) => ({ region, ...figuresOf(tally) }))
      .sort((a, b) => (a.region ?? '').localeCompare(b.region ?? '')),
    byTitle: active(titles.map)
      .map(([titleId, tally]) => ({ titleId, ...figuresOf(tally) }))
      .sort((a, b) => b.originBytes - a.originBytes || a.titleId.localeCompare(b.titleId)),
    series: [...buckets.map]
      .sort(([a], [b]) => a - b)
      .map(([at, tally]) => ({ at: new Date(at).toISOString(), ...figuresOf(tally) })),
  };
};

/** The UTC days a window touches, to read the documents active in it by. */
export const daysOf = (window: DeliveryWindow): string[] => {
  const days: string[] = [];
  for (let at = bucketStart(window.fromMs, 'day'); at < window.untilMs; at += bucketMs.day)
    days.push(new Date(at).toISOString().slice(0, 10));
  return days;
};
