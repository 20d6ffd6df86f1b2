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

/** The fields of an update event that it sets (an absent or undefined field leaves the value as it was). */
export const definedChanges = <Changes extends object>(changes: Changes): Partial<Changes> =>
  Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<Changes>;
