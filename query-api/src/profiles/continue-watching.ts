import {
  type CatalogEntry,
  type ContinueWatchingEntry,
  continueWatching,
  continueWatchingEntry,
} from '@marquee/read-models';
import { z } from 'zod';
import { nextShownEpisode, seriesPlace, seriesPlaceOf } from '../catalog/series-episodes';
import { defineQueryOperation } from '../query-context';
import { asOfParam, idParam, limitParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';
import { ownProfile } from './own-profile';
import { placeInCatalog, shows } from './viewing-level';

const continueWatchingItem = continueWatchingEntry.extend({
  episodeOf: seriesPlace,
  name: z.string().describe('The title to play: the film, or the episode.'),
  posterPath: z.string().nullable(),
});
type ContinueWatchingItem = z.infer<typeof continueWatchingItem>;

const asItem = (
  row: ContinueWatchingEntry,
  entry: CatalogEntry,
  series: CatalogEntry | undefined,
): ContinueWatchingItem => ({
  ...row,
  episodeOf: seriesPlaceOf({ entry, series }),
  name: entry.name,
  posterPath: entry.posterPath,
});

export const getContinueWatching = defineQueryOperation({
  method: 'get',
  path: '/profiles/:profileId/continue-watching',
  summary: 'The films and series a profile is watching, latest first',
  description:
    "One item per film or series. A series' item is the episode to play next: the one in progress, or the one after a finished one (from its start). Only what the profile may watch now; only for a profile of the signed-in viewer, any other profile is reported as not found.",
  access: ['viewer'],
  params: z.strictObject({ profileId: idParam('profile') }),
  query: z.strictObject({ limit: limitParam(), asOf: asOfParam }),
  response: z.object({ items: z.array(continueWatchingItem) }),
  errors: viewReadErrors,
  handle: async ({ params, query, caller, context }) => {
    const views = readViews(context, query.asOf);
    const { maturityLevel: level } = await ownProfile(views, caller.accountId, params.profileId);
    const page = await views(continueWatching).find({
      where: { profileId: params.profileId },
      sort: { field: 'lastWatchedAt', direction: 'desc' },
      limit: query.limit,
    });
    const catalogEntries = await placeInCatalog(
      views,
      page.items.map((row) => row.titleId),
    );
    const items: ContinueWatchingItem[] = [];
    for (const row of page.items) {
      const placed = catalogEntries.get(row.titleId);
      if (!placed) continue;
      if (!row.completed) {
        if (shows(level, placed)) items.push(asItem(row, placed.entry, placed.series));
        continue;
      }
      // A finished episode: its row offers the next one this profile may watch, from the start.
      if (!placed.series) continue;
      const next = await nextShownEpisode(views, level, placed.series, row.titleId);
      if (!next) continue;
      items.push(
        asItem(
          {
            ...row,
            titleId: next.titleId,
            episodeOf: next.episodeOf,
            positionSeconds: 0,
            durationSeconds: next.durationSeconds ?? 0,
            progress: 0,
            completed: false,
          },
          next,
          placed.series,
        ),
      );
    }
    return { items };
  },
});
