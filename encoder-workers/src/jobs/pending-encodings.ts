import { sourceProbe } from '@marquee/domain';
import { type EventStore, type RecordedEvent, readDomainEvent } from '@marquee/platform';
import { z } from 'zod';

/*
 * The jobs whose encoding has not ended: what the dispatcher keeps beside its checkpoint, so it
 * can see whether each one still has a job (Redis may lose one) and whether BullMQ failed a job
 * without its worker recording why. A job's id is its encoding's id and the id of the event that
 * asked for it: an upload for an encode; for a revision, an audio track or captions added, or an
 * encoding that succeeded without tracks the title has.
 */

export const pendingEncoding = z.object({
  kind: z.literal('encode'),
  jobId: z.string(),
  titleId: z.string(),
  uploadId: z.string(),
  sourcePath: z.string(),
  probe: sourceProbe,
});
export type PendingEncoding = z.infer<typeof pendingEncoding>;

/** A revision asked for; it ends with its encoding, or with its job when it found nothing to revise. */
export const pendingRevision = z.object({ kind: z.literal('revise'), jobId: z.string(), titleId: z.string() });
export type PendingRevision = z.infer<typeof pendingRevision>;

export type PendingJob = PendingEncoding | PendingRevision;

/** The dispatcher's checkpoint state, checked when read back; one kept before revisions holds encodes without a kind. */
export const pendingEncodingsState = z.object({
  pending: z.array(
    z.preprocess(
      (job) => (typeof job === 'object' && job !== null && !('kind' in job) ? { ...job, kind: 'encode' } : job),
      z.discriminatedUnion('kind', [pendingEncoding, pendingRevision]),
    ),
  ),
});

export type PendingEncodings = ReadonlyMap<string, PendingJob>;

/** The events that start and end a pending job. */
export const pendingEncodingEvents = [
  'SourceUploaded',
  'AudioTrackAdded',
  'CaptionsAdded',
  'EncodingSucceeded',
  'EncodingFailed',
] as const;

/**
 * An upload adds its encoding, an audio track or captions a revision; that encoding's success or
 * failure removes it; other events change nothing. (A revision asked for by an EncodingSucceeded
 * depends on the title as it is, so the dispatcher adds it: `withJob`.)
 */
export const evolvePendingEncodings = (pending: PendingEncodings, recorded: RecordedEvent): PendingEncodings => {
  const event = readDomainEvent(recorded);
  if (event.type === 'SourceUploaded') {
    const { titleId, uploadId, path, probe } = event.data;
    return withJob(pending, { kind: 'encode', jobId: recorded.id, titleId, uploadId, sourcePath: path, probe });
  }
  if (event.type === 'AudioTrackAdded' || event.type === 'CaptionsAdded')
    return withJob(pending, { kind: 'revise', jobId: recorded.id, titleId: event.data.titleId });
  if (event.type === 'EncodingSucceeded' || event.type === 'EncodingFailed')
    return withoutJobs(pending, [event.data.encodingId]);
  return pending;
};

export const withJob = (pending: PendingEncodings, job: PendingJob): PendingEncodings =>
  new Map(pending).set(job.jobId, job);

export const withoutJobs = (pending: PendingEncodings, jobIds: readonly string[]): PendingEncodings => {
  if (!jobIds.some((jobId) => pending.has(jobId))) return pending;
  const next = new Map(pending);
  for (const jobId of jobIds) next.delete(jobId);
  return next;
};

export const pendingEncodingsOf = (state: unknown): PendingEncodings =>
  new Map(pendingEncodingsState.parse(state).pending.map((job) => [job.jobId, job]));

/**
 * The pending jobs as of a position, read from the log: for a checkpoint saved before the
 * dispatcher kept them (an upgrade), so events it had already moved past are not forgotten.
 */
export const pendingEncodingsInLog = async (eventStore: EventStore, upTo: number): Promise<PendingEncodings> => {
  let pending: PendingEncodings = new Map();
  for await (const recorded of eventStore.readAll({ filter: { eventTypes: [...pendingEncodingEvents] } })) {
    if (recorded.position > upTo) break;
    pending = evolvePendingEncodings(pending, recorded);
  }
  return pending;
};
