import { defaultPopularityModel, fillPolicies, id } from '@marquee/domain';
import {
  accessConfig,
  byteSize,
  contentTokenConfig,
  defaultPorts,
  eventStoreConfig,
  localUrl,
  logConfig,
  port,
  redisConfig,
} from '@marquee/platform';
import { z } from 'zod';
import { defaultSupersededGraceMs } from './superseded-revisions';

/*
 * One program, two roles. The origin serves the folder the encoders write and has no upstream;
 * an edge has an identity, a region, a disk budget and an upstream (the origin, or another
 * edge for tiered fill), and fills itself from the log of published titles.
 */

export type FillWindow = { startMinute: number; endMinute: number; text: string };

const clock = /^([01]\d|2[0-3]):([0-5]\d)$/;
const minuteOfDay = (text: string) => {
  const [, hours = '0', minutes = '0'] = clock.exec(text) ?? [];
  return Number(hours) * 60 + Number(minutes);
};

/** `02:00-14:00` (local time of the edge); a window may cross midnight (`22:00-06:00`). */
export const fillWindow = z
  .string()
  .trim()
  .refine((text) => {
    const [start, end, ...rest] = text.split('-');
    return rest.length === 0 && clock.test(start ?? '') && clock.test(end ?? '') && start !== end;
  }, 'use HH:MM-HH:MM, for example 02:00-14:00')
  .transform((text): FillWindow => {
    const [start = '', end = ''] = text.split('-');
    return { startMinute: minuteOfDay(start), endMinute: minuteOfDay(end), text };
  });

export const isInsideWindow = (window: FillWindow | undefined, now: Date): boolean => {
  if (!window) return true;
  const minute = now.getHours() * 60 + now.getMinutes();
  return window.startMinute < window.endMinute
    ? minute >= window.startMinute && minute < window.endMinute
    : minute >= window.startMinute || minute < window.endMinute;
};

export const edgeConfigSchema = {
  ...accessConfig,
  ...eventStoreConfig,
  ...redisConfig,
  ...logConfig,
  EDGE_ROLE: z.enum(['origin', 'edge']).default('edge'),
  /** Default: the origin's port for the origin, the first edge's for an edge (see `defaultPorts`). */
  EDGE_PORT: port.optional(),
  EDGE_HOST: z.string().default('127.0.0.1'),
  /** The folder this node serves: the origin's package folder, or the edge's own disk. */
  EDGE_DIR: z.string().min(1).optional(),
  EDGE_ID: id.default('edge-1'),
  EDGE_REGION: z.string().trim().min(1).max(64).default('local'),
  /** How players and downstream edges reach this node; defaults to http://EDGE_HOST:EDGE_PORT. */
  EDGE_URL: z.url().optional(),
  EDGE_CAPACITY: byteSize.default(20e9),
  EDGE_UPSTREAM: z.url().default(localUrl(defaultPorts.origin)),
  /** Prefetch only inside this daily window; off by default (fill at once). */
  FILL_WINDOW: fillWindow.optional(),
  /** Prefetch no faster than this many megabits per second; off by default. */
  FILL_RATE_MBPS: z.coerce.number().positive().optional(),
  /** Files of one title downloaded at the same time. */
  FILL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /**
   * What the edge holds: `fill-all` fills every publish; `lru` fills only what viewers missed;
   * `popularity` fills what its region is predicted to watch, within its capacity.
   */
  FILL_POLICY: z.enum(fillPolicies).default('fill-all'),
  /** `1`: a viewer's miss fills the title (under `popularity`, only if it is more popular than what it would evict). */
  FILL_ON_DEMAND: z
    .enum(['1', '0'])
    .default('1')
    .transform((flag) => flag === '1'),
  /**
   * Seconds a superseded revision of a title (published again with a new encoding) stays after it
   * was last served, for viewers who started it to finish it; then the edge removes it.
   */
  SUPERSEDED_GRACE_SECONDS: z.coerce
    .number()
    .positive()
    .default(defaultSupersededGraceMs / 1000),
  /** Hours after which a play counts half in the predicted popularity. */
  POPULARITY_HALF_LIFE_HOURS: z.coerce.number().positive().default(defaultPopularityModel.halfLifeHours),
  /** What a new release is worth at its first publish, in plays. */
  NEW_RELEASE_PLAYS: z.coerce.number().min(0).default(defaultPopularityModel.newReleasePlays),
  /** Seconds a heartbeat stays valid: a dead edge leaves the rankings this long after it stops. */
  HEARTBEAT_TTL_SECONDS: z.coerce.number().min(1).max(300).default(3),
  /**
   * The origin's public URL, the last pathway of every session's manifest. Default: the origin's
   * own URL on the origin, http://127.0.0.1:8100 on an edge.
   */
  ORIGIN_URL: z.url().optional(),
  /** The steering server a session's manifest names: the query API's /steering. */
  STEERING_URL: z.url().default(`${localUrl(defaultPorts.queryApi)}/steering`),
  /** `nginx`: nginx listens in front and sends held files with sendfile; this program still decides every request. */
  EDGE_SERVE_WITH: z.enum(['node', 'nginx']).default('node'),
  /** Serving telemetry: what this node served is reported once per interval of this many seconds. */
  TELEMETRY_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  ...contentTokenConfig,
};

export type EdgeNodeConfig = z.infer<z.ZodObject<typeof edgeConfigSchema>>;
