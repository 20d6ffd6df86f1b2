import { z } from 'zod';
import { type EventOf, eventSchema, id, isoTime } from '../event-schema';

const session = { sessionId: id, accountId: id, profileId: id, titleId: id };
const seconds = z.number().nonnegative();

export const PlaybackStarted = eventSchema(
  'PlaybackStarted',
  z.object({
    ...session,
    encodingId: id,
    manifestPath: z.string().min(1),
    durationSeconds: z.number().positive(),
    /** The tallest rendition this session may play: the plan's cap, or the ladder's top if lower. */
    maxHeight: z.number().int().positive(),
    /** Edge ids in the order steering ranked them; the origin is always the last resort. */
    edges: z.array(id),
    resumeFromSeconds: seconds,
    at: isoTime,
  }),
);
export const PlaybackProgressed = eventSchema(
  'PlaybackProgressed',
  z.object({ ...session, positionSeconds: seconds, at: isoTime }),
);
export const PlaybackQoEReported = eventSchema(
  'PlaybackQoEReported',
  z.object({
    ...session,
    edgeId: id.nullable(),
    startupMs: z.number().nonnegative(),
    rebufferCount: z.number().int().nonnegative(),
    rebufferMs: z.number().nonnegative(),
    averageBitrateKbps: z.number().nonnegative(),
    switches: z.number().int().nonnegative(),
    watchedSeconds: seconds,
    at: isoTime,
  }),
);
export const PlaybackStopped = eventSchema(
  'PlaybackStopped',
  z.object({ ...session, positionSeconds: seconds, at: isoTime }),
);

export const playbackEventSchemas = [
  PlaybackStarted,
  PlaybackProgressed,
  PlaybackQoEReported,
  PlaybackStopped,
] as const;

export type PlaybackEvent = EventOf<(typeof playbackEventSchemas)[number]>;
