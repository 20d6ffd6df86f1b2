import type { CatalogEntry } from '@marquee/read-models';

/** A catalog entry as viewers see it: without the play counters and encodings kept to compute it. */
export type PublicTitle = Pick<
  CatalogEntry,
  | 'titleId'
  | 'name'
  | 'synopsis'
  | 'genres'
  | 'year'
  | 'maturityRating'
  | 'durationSeconds'
  | 'posterPath'
  | 'popularity'
  | 'publishedAt'
>;

export const publicTitle = (entry: CatalogEntry): PublicTitle => ({
  titleId: entry.titleId,
  name: entry.name,
  synopsis: entry.synopsis,
  genres: entry.genres,
  year: entry.year,
  maturityRating: entry.maturityRating,
  durationSeconds: entry.durationSeconds,
  posterPath: entry.posterPath,
  popularity: entry.popularity,
  publishedAt: entry.publishedAt,
});
