import type { MarkerRange } from '@marquee/domain';
import { fingerprintFrameSeconds, fingerprintStart } from './audio-fingerprint';
import {
  type AlignmentOptions,
  defaultAlignmentOptions,
  longestSharedRun,
  type SharedRun,
} from './fingerprint-alignment';

/*
 * A season's intro: the audio its episodes share near their start. Each episode's start is
 * fingerprinted once (one ffmpeg each, a few at a time), each is aligned with a few others, and
 * the stretches it shares with them give its intro. An episode that shares nothing long enough
 * gets no proposal.
 */

export type EpisodeAudio = { titleId: string; sourcePath: string; durationSeconds: number };

export type IntroDetectionSettings = {
  /** The start read is the shorter of this… */
  maxWindowSeconds: number;
  /** …and this share of the episode… */
  windowFraction: number;
  /** …but never less than this (all of a shorter episode): a short episode's intro is a large share of it. */
  minWindowSeconds: number;
  /** A shared stretch shorter than this is not an intro. */
  minIntroSeconds: number;
  /** Each episode is aligned with at most this many others (its neighbours in the season's order). */
  comparisons: number;
  /** ffmpeg processes at once. */
  concurrency: number;
  alignment: AlignmentOptions;
};

export const defaultIntroDetectionSettings: IntroDetectionSettings = {
  maxWindowSeconds: 300,
  windowFraction: 1 / 3,
  minWindowSeconds: 90,
  minIntroSeconds: 5,
  comparisons: 4,
  concurrency: 2,
  alignment: defaultAlignmentOptions,
};

export type EpisodeFingerprint = { titleId: string; fingerprint: Uint32Array };

/** Seconds from an episode's start that are fingerprinted. */
export const introWindowSeconds = (durationSeconds: number, settings: IntroDetectionSettings) =>
  Math.min(
    settings.maxWindowSeconds,
    Math.max(settings.minWindowSeconds, durationSeconds * settings.windowFraction),
    durationSeconds,
  );

/*
 * A fingerprint value sums up a couple of seconds of audio from its frame on, and agrees once most
 * of that is shared: matches begin and end this much before the shared audio does (measured on
 * the made-up seasons of the tests and the benchmark).
 */
const matchLeadSeconds = 0.6;

const round = (seconds: number) => Math.round(seconds * 10) / 10;
const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** The others an episode is aligned with: the nearest in the given order, at most `comparisons`. */
const partnersOf = (index: number, count: number, comparisons: number) =>
  Array.from({ length: count }, (_, other) => other)
    .filter((other) => other !== index)
    .sort((x, y) => Math.abs(x - index) - Math.abs(y - index) || x - y)
    .slice(0, comparisons);

/**
 * Each episode's intro from the fingerprints of the season's starts (in episode order): the
 * median start and end of the long-enough stretches it shares with its partners. Pure.
 */
export const introsFromFingerprints = (
  episodes: readonly EpisodeFingerprint[],
  settings: Pick<
    IntroDetectionSettings,
    'minIntroSeconds' | 'comparisons' | 'alignment'
  > = defaultIntroDetectionSettings,
): Map<string, MarkerRange> => {
  const runs = new Map<string, SharedRun | null>();
  const runBetween = (i: number, j: number): { start: number; frames: number } | null => {
    const [low, high] = i < j ? [i, j] : [j, i];
    const key = `${low}:${high}`;
    if (!runs.has(key)) {
      const a = (episodes[low] as EpisodeFingerprint).fingerprint;
      const b = (episodes[high] as EpisodeFingerprint).fingerprint;
      runs.set(key, longestSharedRun(a, b, settings.alignment));
    }
    const run = runs.get(key);
    if (!run) return null;
    return { start: i === low ? run.startA : run.startB, frames: run.frames };
  };
  const minFrames = settings.minIntroSeconds / fingerprintFrameSeconds;
  const intros = new Map<string, MarkerRange>();
  for (const [index, episode] of episodes.entries()) {
    const shared = partnersOf(index, episodes.length, settings.comparisons)
      .map((other) => runBetween(index, other))
      .filter((run): run is { start: number; frames: number } => run !== null && run.frames >= minFrames);
    if (shared.length === 0) continue;
    // A match from the very first frame starts with the audio.
    const startFrame = median(shared.map((run) => run.start));
    const endFrame = median(shared.map((run) => run.start + run.frames));
    const startSeconds = startFrame === 0 ? 0 : round(startFrame * fingerprintFrameSeconds + matchLeadSeconds);
    const endSeconds = round(endFrame * fingerprintFrameSeconds + matchLeadSeconds);
    if (endSeconds - startSeconds >= settings.minIntroSeconds)
      intros.set(episode.titleId, { startSeconds, endSeconds });
  }
  return intros;
};

/** Runs `work` on each item, at most `concurrency` at once, keeping the items' order. */
const mapLimited = async <T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>) => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
};

export type IntroDetectionOptions = Partial<IntroDetectionSettings> & {
  ffmpegPath?: string;
  signal?: AbortSignal;
  /** An episode whose audio could not be read: it is left out (no proposal), the others go on. */
  onUnreadable?: (episode: EpisodeAudio, error: Error) => void;
};

/** The intros of a season's episodes (in episode order), by title id; an episode without one is absent. */
export const detectSeasonIntros = async (
  episodes: readonly EpisodeAudio[],
  options: IntroDetectionOptions = {},
): Promise<Map<string, MarkerRange>> => {
  const settings = { ...defaultIntroDetectionSettings, ...options };
  if (episodes.length < 2) return new Map();
  const fingerprints = await mapLimited(episodes, settings.concurrency, async (episode) => {
    try {
      const fingerprint = await fingerprintStart(episode.sourcePath, {
        seconds: introWindowSeconds(episode.durationSeconds, settings),
        ...(options.ffmpegPath && { ffmpegPath: options.ffmpegPath }),
        ...(options.signal && { signal: options.signal }),
      });
      return { titleId: episode.titleId, fingerprint };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      options.onUnreadable?.(episode, error instanceof Error ? error : new Error(String(error)));
      return { titleId: episode.titleId, fingerprint: new Uint32Array(0) };
    }
  });
  return introsFromFingerprints(fingerprints, settings);
};
