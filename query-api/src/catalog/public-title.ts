import { type CatalogEntry, catalog, catalogEntry } from '@marquee/read-models';
import type { z } from 'zod';
import { declaredFields } from '../declared-fields';
import type { Views } from '../view-reader';

/** A catalog entry as viewers see it: without the play counters and encodings kept to compute it. */
export const publicTitle = catalogEntry.pick({
  titleId: true,
  kind: true,
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

/**
 * The entries as viewers see them. A series has no poster of its own: it shows its first
 * episode's (one read for the page).
 */
export const asPublicTitles = async (views: Views, entries: readonly CatalogEntry[]): Promise<PublicTitle[]> => {
  const firstEpisodes = entries.flatMap((entry) => (entry.kind === 'series' ? (entry.episodes[0]?.titleId ?? []) : []));
  const episodes = await views(catalog).getMany(firstEpisodes);
  return entries.map((entry) => {
    const first = entry.kind === 'series' ? entry.episodes[0] : undefined;
    const posterPath = first ? (episodes.get(first.titleId)?.posterPath ?? null) : entry.posterPath;
    return asPublicTitle({ ...entry, posterPath });
  });
};
