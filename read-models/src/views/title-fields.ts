import { episodePlace, type PackageTracks } from '@marquee/domain';
import { z } from 'zod';

/** The encoder writes the poster beside the manifest. */
export const posterPathOf = (manifestPath: string) =>
  `${manifestPath.slice(0, manifestPath.lastIndexOf('/') + 1)}poster.jpg`;

/** A stretch of a title in seconds from its start (its intro, or its credits), as views keep it. */
export const markerSpan = z.object({ startSeconds: z.number(), endSeconds: z.number() });
export type MarkerSpan = z.infer<typeof markerSpan>;

/** Where an episode sits in its series; null for a film. */
export const episodePlaceOrNull = z
  .object(episodePlace.shape)
  .nullable()
  .describe("The episode's series, season and episode; null for a film.");
export type EpisodePlaceOrNull = z.infer<typeof episodePlaceOrNull>;

/** What viewers can pick while playing an encoding: its audio and caption languages, and whether it has seek previews. */
export const playableTracks = z.object({
  audioLanguages: z
    .array(z.string())
    .describe(
      'Languages of the audio tracks, in track order (the first is the main one); a track of unknown language is not listed.',
    ),
  captionLanguages: z.array(z.string()).describe('Languages of the captions.'),
  seekPreviews: z.boolean().describe('The package has thumbnail sprites for previews on the seek bar.'),
});
export type PlayableTracks = z.infer<typeof playableTracks>;

/** An encoding made before tracks existed (no `tracks`) lists none. */
export const playableTracksOf = (tracks: PackageTracks | undefined | null): PlayableTracks => ({
  audioLanguages: tracks?.audio.flatMap((track) => track.language ?? []) ?? [],
  captionLanguages: tracks?.captions.map((captions) => captions.language) ?? [],
  seekPreviews: tracks?.thumbnails != null,
});
