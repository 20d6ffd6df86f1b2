import { randomUUID } from 'node:crypto';
import { encodeEvent, type MarqueeEvent } from '@marquee/domain';
import type { EventToAppend } from '../event-store/event-store';
import { deterministicEventId } from '../ids/deterministic-id';

export type AppendContext = {
  /** Events get ids derived from this key, so the same request twice appends once. */
  idempotencyKey?: string;
  /** Extra metadata for every event (request id, actor…). */
  metadata?: Record<string, unknown>;
};

/** Turns domain events into events to append: validated, versioned, with ids. */
export const toEventsToAppend = (
  streamName: string,
  events: readonly MarqueeEvent[],
  context: AppendContext = {},
): EventToAppend[] =>
  events.map((event, index) => {
    const { type, data, schemaVersion } = encodeEvent(event);
    return {
      id: context.idempotencyKey ? deterministicEventId(context.idempotencyKey, streamName, index) : randomUUID(),
      type,
      data,
      metadata: { ...context.metadata, schemaVersion },
    };
  });
