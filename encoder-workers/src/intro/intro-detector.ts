import { isDomainError, seriesDecider, streamName, titleDecider } from '@marquee/domain';
import {
  aggregateStream,
  type CheckpointStore,
  checkpointIn,
  createProcessor,
  type EventStore,
  handleCommand,
  type Logger,
  readDomainEvent,
  runProcessor,
} from '@marquee/platform';
import { detectSeasonIntros, type EpisodeAudio, type IntroDetectionOptions } from './season-intros';

/*
 * Proposes each episode's intro once its season has two encoded episodes: a processor that
 * follows EncodingSucceeded from its checkpoint, detects the intro of the encoded episode's
 * season from the episodes' sources, and records ProposeIntro on each episode's title stream.
 * A replay proposes the same ranges again, which the title decider answers with nothing.
 */

export const introDetectorCheckpoint = 'intro-detector';

/** An episode's latest successful encoding and the source it was made from, or null. */
const encodedSource = async (eventStore: EventStore, titleId: string): Promise<EpisodeAudio | null> => {
  const { state } = await aggregateStream(eventStore, streamName('title', titleId), titleDecider);
  if (state.status !== 'created') return null;
  const latest = state.encodings.find((encoding) => encoding.encodingId === state.latestEncodingId);
  const sourcePath = latest && state.uploads.find((upload) => upload.uploadId === latest.uploadId)?.path;
  if (latest?.status !== 'succeeded' || !sourcePath) return null;
  return { titleId, sourcePath, durationSeconds: latest.durationSeconds };
};

/** Follows the log until the signal stops it; rejects (after logging) if the log or the store fails. */
export const runIntroDetector = async (options: {
  eventStore: EventStore;
  checkpoints: CheckpointStore;
  detection?: IntroDetectionOptions;
  logger?: Logger;
  signal?: AbortSignal;
  now?: () => Date;
  /** Called after each event is dealt with, with the proposals it recorded (for tests and logs). */
  onDetected?: (position: number, proposed: number) => void;
}): Promise<void> => {
  const { eventStore, logger, signal } = options;
  const now = options.now ?? (() => new Date());
  const processor = createProcessor({
    name: 'intro-detector',
    eventStore,
    checkpoint: checkpointIn(options.checkpoints, introDetectorCheckpoint),
    filter: { eventTypes: ['EncodingSucceeded'] },
    now,
    ...(logger && { logger }),
    handle: async (recorded) => {
      const event = readDomainEvent(recorded);
      let proposed = 0;
      if (event.type === 'EncodingSucceeded') proposed = await proposeSeasonIntros(event.data.titleId, recorded.id);
      options.onDetected?.(recorded.position, proposed);
    },
  });

  const proposeSeasonIntros = async (titleId: string, eventId: string) => {
    const { state: title } = await aggregateStream(eventStore, streamName('title', titleId), titleDecider);
    if (title.status !== 'created' || !title.episodeOf) return 0;
    const { seriesId, season } = title.episodeOf;
    const { state: series } = await aggregateStream(eventStore, streamName('series', seriesId), seriesDecider);
    if (series.status !== 'created') return 0;
    const slots = series.episodes.filter((slot) => slot.season === season);
    const encoded = (await Promise.all(slots.map((slot) => encodedSource(eventStore, slot.titleId)))).filter(
      (episode): episode is EpisodeAudio => episode !== null,
    );
    if (encoded.length < 2) return 0;
    const started = now().getTime();
    const intros = await detectSeasonIntros(encoded, {
      // Not stopped by the signal: a detection takes seconds, and the processor waits for it.
      ...options.detection,
      onUnreadable: (episode, error) =>
        logger?.warn({ titleId: episode.titleId, error: error.message }, 'episode audio unreadable; no intro proposed'),
    });
    let proposed = 0;
    for (const [episodeId, intro] of intros) {
      try {
        const result = await handleCommand(
          eventStore,
          streamName('title', episodeId),
          titleDecider,
          { type: 'ProposeIntro', intro, at: now().toISOString() },
          // The same reaction appended again (a restart before its checkpoint) is the same event.
          { idempotencyKey: `propose-intro:${eventId}`, retries: 3 },
        );
        proposed += result.events.length;
      } catch (error) {
        // A proposal the title refuses (outside a newer, shorter encoding) is skipped, not fatal.
        if (!isDomainError(error)) throw error;
        logger?.warn({ titleId: episodeId, intro, error: error.message }, 'intro proposal refused');
      }
    }
    logger?.info(
      { seriesId, season, episodes: encoded.length, intros: intros.size, proposed, ms: now().getTime() - started },
      'season intro detected',
    );
    return proposed;
  };

  await runProcessor(processor, signal);
};
