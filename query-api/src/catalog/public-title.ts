import { type CatalogEntry, catalog, catalogEntry } from '@marquee/read-models';
import type { z } from 'zod';
import { declaredFields } from '../declared-fields';
import type { ViewingLevel } from '../profiles/viewing-level';
import type { Views } from '../view-reader';
import { episodesShown } from './series-episodes';

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
 * The entries as viewers see them. A series has no poster of its own: it shows the poster of
 * its first episode the viewer may be shown (published, within the level), never one above the
 * level or withdrawn. One read for the page's first episodes, a second only for the series
 * whose first episode is not shown.
 */
export const asPublicTitles = async (
  views: Views,
  level: ViewingLevel,
  entries: readonly CatalogEntry[],
): Promise<PublicTitle[]> => {
  const series = entries.filter((entry) => entry.kind === 'series');
  // A copy: the read cache keeps the map it answered.
  const read = new Map(await views(catalog).getMany(series.flatMap((entry) => entry.episodes[0]?.titleId ?? [])));
  const unsettled = series.filter((entry) => episodesShown(level, entry, read).length === 0);
  const rest = unsettled.flatMap((entry) => entry.episodes.slice(1).map((slot) => slot.titleId));
  if (rest.length > 0) for (const [id, episode] of await views(catalog).getMany(rest)) read.set(id, episode);
  return entries.map((entry) => {
    if (entry.kind !== 'series') return asPublicTitle(entry);
    const [first] = episodesShown(level, entry, read);
    return asPublicTitle({ ...entry, posterPath: first?.posterPath ?? null });
  });
};
