import { streamName, type TitleCommand, titleDecider } from '@marquee/domain';
import { type AggregateCache, type EventStore, handleCommand } from '@marquee/platform';
import type { EncodedPackage } from '../encoding/encode-package';

/** A title command as a job runs it: retried on a conflict, through the worker's aggregate cache. */
export const titleCommands =
  (deps: { eventStore: EventStore; cache?: AggregateCache }, titleId: string) => (command: TitleCommand) =>
    handleCommand(deps.eventStore, streamName('title', titleId), titleDecider, command, {
      retries: 3,
      ...(deps.cache && { cache: deps.cache }),
    });

/** What an encode or a revision made, recorded as its EncodingSucceeded (and, for a revision of what is live, its publish). */
export const recordEncodingSuccess = (
  record: ReturnType<typeof titleCommands>,
  encodingId: string,
  made: EncodedPackage,
) =>
  record({
    type: 'RecordEncodingSucceeded',
    encodingId,
    ladder: made.ladder,
    manifestPath: made.manifestPath,
    packageIndex: made.packageIndex,
    durationSeconds: made.durationSeconds,
    encodeSeconds: made.encodeSeconds,
    tracks: made.tracks,
    at: new Date().toISOString(),
  });
