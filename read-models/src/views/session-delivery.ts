import { classifyMissBytes, classifyStart, type MissClass, missClasses } from '@marquee/domain';
import { z } from 'zod';
import { dayOf, defineProjection } from '../projection';

/*
 * How one playback session was delivered: its steering decision classified (classifyStart), and
 * the bytes the edges and the origin reported serving it (ServingReported session rows), per
 * hour. This is the join of steering with serving telemetry: each event touches only the
 * sessions it names, so the join is per document, and windows are summed at read time
 * (delivery-figures.ts) from the days a session was active.
 */

const bytes = z.number().int().nonnegative();

export const hourBytes = z.object({
  edgeHitBytes: bytes.describe("Sent viewers from an edge's own disk."),
  edgePulledBytes: bytes.describe('Sent viewers by an edge that pulled them through from its upstream.'),
  originBytes: bytes.describe('Sent viewers by the origin.'),
});
export type HourBytes = z.infer<typeof hourBytes>;

export const missBytes = z.object({ content: bytes, health: bytes, steering: bytes });
export type MissBytes = z.infer<typeof missBytes>;

export const sessionDeliveryDocument = z.object({
  sessionId: z.string(),
  titleId: z.string(),
  encodingId: z.string(),
  region: z.string().nullable(),
  /** Null until the session's PlaybackStarted is folded (telemetry may name a session first). */
  startedAt: z.string().nullable(),
  /** How the play started: null on a local holder, else the miss (meaningful when `classified`). */
  startClass: z.enum(missClasses).nullable(),
  /** False for a session whose start recorded no holders (before they were recorded), or not seen starting. */
  classified: z.boolean(),
  /** Hour (ISO, UTC, on the hour) → bytes served in the intervals that started in it. */
  hours: z.record(z.string(), hourBytes),
  /** The UTC days the session started or was served on: what a window reads it by. */
  days: z.array(z.string()),
  ...hourBytes.shape,
  missBytes,
});
export type SessionDelivery = z.infer<typeof sessionDeliveryDocument>;

export const emptyHourBytes: HourBytes = { edgeHitBytes: 0, edgePulledBytes: 0, originBytes: 0 };
export const noMissBytes: MissBytes = { content: 0, health: 0, steering: 0 };

/** The hour an ISO time falls in, as an ISO time on the hour. */
export const hourOf = (iso: string) => `${new Date(iso).toISOString().slice(0, 13)}:00:00.000Z`;

/** Bytes by class that were not an edge's hit: pulled through (content), or the origin's (the start's class). */
export const classifyHourBytes = (
  served: HourBytes,
  start: { classified: boolean; startClass: MissClass | null },
): MissBytes => {
  const classes = { ...noMissBytes };
  classes[classifyMissBytes({ start: start.startClass, servedBy: 'edge' })] += served.edgePulledBytes;
  // Origin bytes of a session whose start was not classified belong to no class.
  if (start.classified)
    classes[classifyMissBytes({ start: start.startClass, servedBy: 'origin' })] += served.originBytes;
  return classes;
};

const addBytes = (a: HourBytes, b: HourBytes): HourBytes => ({
  edgeHitBytes: a.edgeHitBytes + b.edgeHitBytes,
  edgePulledBytes: a.edgePulledBytes + b.edgePulledBytes,
  originBytes: a.originBytes + b.originBytes,
});

/** Totals and classes recomputed from the hours, so the order start and telemetry arrive in does not matter. */
type Unsettled = Omit<SessionDelivery, keyof HourBytes | 'missBytes' | 'days'>;
const settle = (doc: Unsettled): SessionDelivery => {
  const total = Object.values(doc.hours).reduce(addBytes, emptyHourBytes);
  const days = new Set(Object.keys(doc.hours).map(dayOf));
  if (doc.startedAt) days.add(dayOf(doc.startedAt));
  return { ...doc, ...total, missBytes: classifyHourBytes(total, doc), days: [...days].sort() };
};

const blank = ({
  sessionId,
  titleId,
  encodingId,
  region,
}: Pick<SessionDelivery, 'sessionId' | 'titleId' | 'encodingId' | 'region'>): Unsettled => ({
  sessionId,
  titleId,
  encodingId,
  region,
  startedAt: null,
  startClass: null,
  classified: false,
  hours: {},
});

export const sessionDelivery = defineProjection<SessionDelivery, 'PlaybackStarted' | 'ServingReported'>({
  name: 'session-delivery',
  version: 1,
  eventTypes: ['PlaybackStarted', 'ServingReported'],
  collection: { indexes: { days: 'array', titleId: 'value' } },
  key: (event) =>
    event.type === 'PlaybackStarted'
      ? event.data.sessionId
      : [...new Set(event.data.sessions.map((session) => session.sessionId))],
  evolve: (doc, event, sessionId) => {
    if (event.type === 'PlaybackStarted') {
      const { titleId, encodingId, region, edges, holders, at } = event.data;
      const current = doc ?? blank({ sessionId, titleId, encodingId, region });
      return settle({
        ...current,
        titleId,
        encodingId,
        region,
        startedAt: at,
        startClass: holders ? classifyStart({ region, offered: edges, holders }) : null,
        classified: holders !== undefined,
      });
    }
    const { sessions, role, intervalStart } = event.data;
    const own = sessions.filter((session) => session.sessionId === sessionId);
    const first = own[0];
    if (!first) return doc ?? null;
    const served = own.reduce<HourBytes>(
      (sum, session) =>
        addBytes(
          sum,
          role === 'edge'
            ? { edgeHitBytes: session.hitBytes, edgePulledBytes: session.missBytes, originBytes: 0 }
            : { ...emptyHourBytes, originBytes: session.hitBytes + session.missBytes },
        ),
      emptyHourBytes,
    );
    // Telemetry may name a session before its start is folded: the row's title and region stand in until then.
    const current = doc ?? blank(first);
    const hour = hourOf(intervalStart);
    const hours = { ...current.hours, [hour]: addBytes(current.hours[hour] ?? emptyHourBytes, served) };
    return settle({ ...current, hours });
  },
});
