import { type CatalogEntry, catalog } from '@marquee/read-models';
import { z } from 'zod';
import { type Placed, shows, type ViewingLevel } from '../profiles/viewing-level';
import type { Views } from '../view-reader';

/** Where an episode sits, with its series' name, as viewers are told. */
export const seriesPlace = z
  .object({ seriesId: z.string(), seriesName: z.string(), season: z.number(), episode: z.number() })
  .nullable()
  .describe("The episode's series and place; null for a film.");
export type SeriesPlace = z.infer<typeof seriesPlace>;

export const seriesPlaceOf = ({ entry, series }: Placed): SeriesPlace =>
  entry.episodeOf && series ? { ...entry.episodeOf, seriesName: series.name } : null;

/** Of the entries read, a series' episodes a viewer at `level` may be shown, in season then episode order. */
export const episodesShown = (level: ViewingLevel, series: CatalogEntry, entries: ReadonlyMap<string, CatalogEntry>) =>
  series.episodes.flatMap((slot) => {
    const entry = entries.get(slot.titleId);
    return entry?.episodeOf?.seriesId === series.titleId && shows(level, { entry, series }) ? [entry] : [];
  });

/** A series' episodes a viewer at `level` may be shown, in season then episode order. */
export const shownEpisodes = async (views: Views, level: ViewingLevel, series: CatalogEntry) =>
  episodesShown(level, series, await views(catalog).getMany(series.episodes.map((slot) => slot.titleId)));

/** The first episode after `titleId` in the series' order that the viewer may be shown, or null. */
export const nextShownEpisode = async (views: Views, level: ViewingLevel, series: CatalogEntry, titleId: string) => {
  const place = series.episodes.findIndex((slot) => slot.titleId === titleId);
  if (place === -1) return null;
  const later = new Set(series.episodes.slice(place + 1).map((slot) => slot.titleId));
  return (await shownEpisodes(views, level, series)).find((entry) => later.has(entry.titleId)) ?? null;
};
