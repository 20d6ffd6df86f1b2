import { sourceProbe } from '@marquee/domain';
import { type EventStore, type RecordedEvent, readDomainEvent } from '@marquee/platform';
import { z } from 'zod';

/*
 * The uploads whose encoding has not ended: what the dispatcher keeps beside its checkpoint, so
 * it can see whether each one still has a job (Redis may lose one) and whether BullMQ failed a
 * job without its worker recording why. An upload's job id and encoding id are its event's id.
 */

export const pendingEncoding = z.object({
  jobId: z.string(),
  titleId: z.string(),
  uploadId: z.string(),
  sourcePath: z.string(),
  probe: sourceProbe,
});
export type PendingEncoding = z.infer<typeof pendingEncoding>;

/** The dispatcher's checkpoint state, checked when read back. */
export const pendingEncodingsState = z.object({ pending: z.array(pendingEncoding) });

export type PendingEncodings = ReadonlyMap<string, PendingEncoding>;

/** The events that start and end a pending encoding. */
export const pendingEncodingEvents = ['SourceUploaded', 'EncodingSucceeded', 'EncodingFailed'] as const;

/** An upload adds its encoding; that encoding's success or failure removes it; other events change nothing. */
export const evolvePendingEncodings = (pending: PendingEncodings, recorded: RecordedEvent): PendingEncodings => {
  const event = readDomainEvent(recorded);
  if (event.type === 'SourceUploaded') {
    const { titleId, uploadId, path, probe } = event.data;
    return new Map(pending).set(recorded.id, { jobId: recorded.id, titleId, uploadId, sourcePath: path, probe });
  }
  if ((event.type === 'EncodingSucceeded' || event.type === 'EncodingFailed') && pending.has(event.data.encodingId)) {
    const next = new Map(pending);
    next.delete(event.data.encodingId);
    return next;
  }
  return pending;
};

export const pendingEncodingsOf = (state: unknown): PendingEncodings =>
  new Map(pendingEncodingsState.parse(state).pending.map((encoding) => [encoding.jobId, encoding]));

/**
 * The pending encodings as of a position, read from the log: for a checkpoint saved before the
 * dispatcher kept them (an upgrade), so uploads it had already moved past are not forgotten.
 */
export const pendingEncodingsInLog = async (eventStore: EventStore, upTo: number): Promise<PendingEncodings> => {
  let pending: PendingEncodings = new Map();
  for await (const recorded of eventStore.readAll({ filter: { eventTypes: [...pendingEncodingEvents] } })) {
    if (recorded.position > upTo) break;
    pending = evolvePendingEncodings(pending, recorded);
  }
  return pending;
};
