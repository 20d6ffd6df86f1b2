import { z } from 'zod';
import { type EventOf, eventSchema, id, isoTime } from '../event-schema';

const content = { edgeId: id, titleId: id, encodingId: id };
const bytes = z.number().int().nonnegative();

export const EdgeRegistered = eventSchema(
  'EdgeRegistered',
  z.object({
    edgeId: id,
    url: z.url(),
    region: z.string().min(1).max(64),
    capacityBytes: z.number().int().positive(),
    upstream: z.url(),
    at: isoTime,
  }),
);
export const EdgeFillStarted = eventSchema('EdgeFillStarted', z.object({ ...content, bytes, at: isoTime }));
export const EdgeFillCompleted = eventSchema(
  'EdgeFillCompleted',
  z.object({
    ...content,
    bytes,
    seconds: z.number().nonnegative(),
    /** Of `bytes`, what came from the upstream (index.json included); absent on fills reported before it was counted. */
    downloadedBytes: bytes.optional(),
    /** Of `bytes`, what the edge took from packages of the same title it already held (matched by sha256). */
    reusedBytes: bytes.optional(),
    /**
     * The bytes of this package's files that are hard links of files a held package of the same
     * title already had, per that package (each shared file listed once). Those bytes move to this
     * package: its held bytes are the whole `bytes`, and each listed package's held bytes drop by
     * its `bytes` (never below 0), so what an edge holds adds up to what its disk uses. Absent: no
     * file shared, or reported before sharing was counted.
     */
    shared: z.array(z.object({ encodingId: id, bytes })).optional(),
    at: isoTime,
  }),
);
export const EdgeFillFailed = eventSchema(
  'EdgeFillFailed',
  z.object({ ...content, reason: z.string().min(1), at: isoTime }),
);
/** `superseded`: a revision of the title replaced it, and nobody played it for the grace. */
export const evictionReasons = ['capacity', 'unpublished', 'superseded', 'operator'] as const;
export type EvictionReason = (typeof evictionReasons)[number];
export const EdgeEvicted = eventSchema(
  'EdgeEvicted',
  z.object({
    ...content,
    /** What removing it freed on the disk: its held bytes, less those `kept`. */
    bytes,
    reason: z.enum(evictionReasons),
    /**
     * Of its held bytes, the files a held package of the same title still links by hard link, per
     * that package: they stay on the disk, and move to it (the reverse of EdgeFillCompleted.shared).
     * Absent: no file stays, or evicted before this was counted.
     */
    kept: z.array(z.object({ encodingId: id, bytes })).optional(),
    at: isoTime,
  }),
);

export const edgeEventSchemas = [
  EdgeRegistered,
  EdgeFillStarted,
  EdgeFillCompleted,
  EdgeFillFailed,
  EdgeEvicted,
] as const;

export type EdgeEvent = EventOf<(typeof edgeEventSchemas)[number]>;
