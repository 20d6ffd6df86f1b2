import { z } from 'zod';
import { type EventOf, eventSchema, id, isoTime } from '../event-schema';

/*
 * Serving telemetry: what one node (an edge, or the origin) served during one interval, reported
 * as one event when the interval closes, never one per request. Stream `serving-<nodeId>`; the
 * event id is derived from the node and the interval's start, so an interval reported again after
 * a crash is the same event, written once.
 */

const count = z.number().int().nonnegative();

/** Who asked: a viewer's player (a session's token), or another node filling or pulling through (a fill token). */
export const servingClients = ['viewer', 'edge'] as const;
/** hit: served from this node's disk; miss: pulled through from the upstream; refused: 403; not_found: 404. */
export const servingStatuses = ['hit', 'miss', 'refused', 'not_found'] as const;

export const servingRow = z.object({
  titleId: id,
  encodingId: id,
  /** The video rung's height for video segments and init (`720`), otherwise null (audio, text, manifests, images). */
  rung: z.number().int().positive().nullable(),
  status: z.enum(servingStatuses),
  client: z.enum(servingClients),
  requests: count,
  bytes: count,
});

/** A viewer's session as this node served it in the interval; its region and pathways are its token's (signed). */
export const servingSession = z.object({
  sessionId: id,
  titleId: id,
  encodingId: id,
  /** The viewer's region, as the session's token grants it; null when the player gave none. */
  region: z.string().min(1).max(64).nullable(),
  requests: count,
  /** Bytes sent from this node's disk. */
  hitBytes: count,
  /** Bytes this node pulled through from its upstream to send. */
  missBytes: count,
});

export const ServingReported = eventSchema(
  'ServingReported',
  z.object({
    /** An edge's id, or `origin`. */
    nodeId: id,
    role: z.enum(['edge', 'origin']),
    /** The edge's region; null for the origin. */
    region: z.string().min(1).max(64).nullable(),
    intervalStart: isoTime,
    intervalSeconds: z.number().int().positive(),
    rows: z.array(servingRow),
    sessions: z.array(servingSession),
    /**
     * Rows and sessions past the per-event caps, summed: the event stays bounded however many
     * viewers a node serves, and the totals stay exact.
     */
    overflow: z.object({ rows: count, sessions: count, requests: count, bytes: count }),
    at: isoTime,
  }),
);

export const servingEventSchemas = [ServingReported] as const;
export type ServingEvent = EventOf<(typeof servingEventSchemas)[number]>;
export type ServingRow = z.infer<typeof servingRow>;
export type ServingSession = z.infer<typeof servingSession>;
