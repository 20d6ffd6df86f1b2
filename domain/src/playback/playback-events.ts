import { z } from 'zod';
import { type EventOf, eventSchema, id, isoTime } from '../event-schema';
import { episodePlace } from '../title/title-events';

/** `seriesId` is there when the title is an episode, so views can group a series' sessions. */
const session = { sessionId: id, accountId: id, profileId: id, titleId: id, seriesId: id.optional() };
const seconds = z.number().nonnegative();

/**
 * v2 keeps the viewer's region, because each heartbeat re-signs the session's content token
 * with the grant it started with (height cap, region, ranked edges). v1 sessions had none.
 */
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
    /**
     * Every edge steering knew to hold the encoding, with its health then: with `edges` and
     * `region`, what classifies a play that did not start on an edge of its region (content,
     * health or steering miss). Absent on sessions started before it was recorded.
     */
    holders: z.array(z.object({ edgeId: id, region: z.string().min(1).max(64), healthy: z.boolean() })).optional(),
    /** The viewer's region, which steering ranks edges by; null when the player did not say. */
    region: z.string().min(1).max(64).nullable(),
    resumeFromSeconds: seconds,
    /** The episode's series and place, when the title is an episode. */
    episodeOf: episodePlace.optional(),
    at: isoTime,
  }),
  { version: 2, upcasters: { 1: (data) => ({ ...data, region: null }) } },
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
