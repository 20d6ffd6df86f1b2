import { episodePlace } from '@marquee/domain';
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
