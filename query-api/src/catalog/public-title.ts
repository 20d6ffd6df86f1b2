import { catalogEntry } from '@marquee/read-models';
import type { z } from 'zod';
import { declaredFields } from '../declared-fields';

/** A catalog entry as viewers see it: without the play counters and encodings kept to compute it. */
export const publicTitle = catalogEntry.pick({
  titleId: true,
  name: true,
  synopsis: true,
  genres: true,
  year: true,
  maturityRating: true,
  durationSeconds: true,
  posterPath: true,
  popularity: true,
  publishedAt: true,
});
export type PublicTitle = z.infer<typeof publicTitle>;

export const asPublicTitle = declaredFields(publicTitle);
