import { type MarqueeEvent, type MarqueeEventType, upcastEvent } from '@marquee/domain';
import type { RecordedEvent } from '@marquee/platform';

/*
 * The recorded demand the simulator replays: where the edges are and how fast they fill, how large each package is,
 * what was published when, every play with its steering decision, and what each session fetched.
 * Only these types are read (the store filters them), so a year of heartbeats costs nothing.
 */

export const demandEventTypes = [
  'EdgeRegistered',
  'EdgeFillCompleted',
  'EncodingSucceeded',
  'TitlePublished',
  'TitleUnpublished',
  'PlaybackStarted',
  'PlaybackQoEReported',
  'PlaybackStopped',
  'ServingReported',
] as const satisfies readonly MarqueeEventType[];

export type DemandEvent = Extract<MarqueeEvent, { type: (typeof demandEventTypes)[number] }>;

/** Upcast, not validated again: every event was validated when it was appended, and a replay reads millions. */
export const toDemandEvent = (recorded: RecordedEvent): DemandEvent =>
  upcastEvent({
    type: recorded.type,
    data: recorded.data,
    schemaVersion: typeof recorded.metadata.schemaVersion === 'number' ? recorded.metadata.schemaVersion : 1,
  }) as DemandEvent;
