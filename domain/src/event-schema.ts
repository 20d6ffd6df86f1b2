import { z } from 'zod';

/** Turns a payload stored at an older schema version into the next version's payload. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * One event type's contract: its current schema version and payload schema, plus an
 * upcaster for each older version still found in the log (keyed by the version it reads).
 */
export type EventSchema<Type extends string = string, Schema extends z.ZodType = z.ZodType> = {
  type: Type;
  version: number;
  schema: Schema;
  upcasters: Record<number, Upcaster>;
};

export const eventSchema = <Type extends string, Schema extends z.ZodType>(
  type: Type,
  schema: Schema,
  options: { version?: number; upcasters?: Record<number, Upcaster> } = {},
): EventSchema<Type, Schema> => ({
  type,
  schema,
  version: options.version ?? 1,
  upcasters: options.upcasters ?? {},
});

/** The event a schema describes, as deciders and projections see it. */
export type EventOf<S> =
  S extends EventSchema<infer Type, infer Schema> ? { type: Type; data: z.infer<Schema> } : never;

/** Shared field shapes. */
export const isoTime = z.iso.datetime({ offset: true });
export const id = z.string().min(1).max(128);
