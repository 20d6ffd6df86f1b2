import { anyone, NotFound } from '@marquee/platform';
import { markerSpan } from '@marquee/read-models';
import { z } from 'zod';
import {
  AboveMaturityLevel,
  allows,
  currentRating,
  isPublished,
  placeInCatalog,
  profileIdParam,
  viewingLevel,
} from '../profiles/viewing-level';
import { defineQueryOperation } from '../query-context';
import { asOfParam, idParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';
import { asPublicTitle, asPublicTitles, publicTitle } from './public-title';
import { nextShownEpisode, seriesPlace, seriesPlaceOf, shownEpisodes } from './series-episodes';
import { titleLanguages, titleLanguagesOf } from './title-languages';

export const catalogTitle = publicTitle.extend({
  intro: markerSpan.nullable().describe('Where the intro is, for "Skip intro"; null for a series or when not set.'),
  credits: markerSpan.nullable().describe('Where the credits are, for "Next episode"; null when not set.'),
  episodeOf: seriesPlace,
  nextEpisode: z
    .object({ titleId: z.string(), season: z.number(), episode: z.number(), name: z.string() })
    .nullable()
    .describe('The next published episode this profile may watch; null after the last, or for a film or series.'),
  seasons: z
    .array(
      z.object({
        season: z.number(),
        episodes: z.array(
          z.object({
            titleId: z.string(),
            episode: z.number(),
            name: z.string(),
            synopsis: z.string(),
            durationSeconds: z.number().nullable(),
            posterPath: z.string().nullable(),
          }),
        ),
      }),
    )
    .nullable()
    .describe("A series' published episodes by season, in order; null for a film or an episode."),
  ...titleLanguages,
});
export type CatalogTitle = z.infer<typeof catalogTitle>;

export const getCatalogTitle = defineQueryOperation({
  method: 'get',
  path: '/catalog/:titleId',
  summary: 'One published film, series or episode',
  description:
    "A series comes with its seasons; an episode with its series, its place and the next episode. With `profileId`, a title above that profile's maturity level is refused (403 AboveMaturityLevel).",
  access: anyone,
  params: z.strictObject({ titleId: idParam('title') }),
  query: z.strictObject({ profileId: profileIdParam, asOf: asOfParam }),
  response: catalogTitle,
  errors: {
    ...viewReadErrors,
    403: 'Above the maturity level of the profile asking (AboveMaturityLevel), or profileId from a caller that is not a viewer.',
  },
  handle: async ({ params, query, caller, context }) => {
    const views = readViews(context, query.asOf);
    const level = await viewingLevel(views, caller, query.profileId);
    const placed = (await placeInCatalog(views, [params.titleId])).get(params.titleId);
    // An unpublished title (or an episode of an unpublished series) is as absent as one that never existed.
    if (!placed || !isPublished(placed))
      throw new NotFound(`There is no published title "${params.titleId}" in the catalog.`, { code: 'TitleNotFound' });
    if (level !== null && !allows(level, placed)) throw new AboveMaturityLevel(level);
    const { entry, series } = placed;
    const [shown = asPublicTitle(entry)] = await asPublicTitles(views, level, [entry]);
    // An episode is rated at least as its series is.
    const title = {
      ...shown,
      maturityRating: currentRating(placed) ?? entry.maturityRating,
      ...titleLanguagesOf(entry),
    };
    if (entry.kind === 'series') {
      const episodes = await shownEpisodes(views, level, entry);
      const seasons = [...new Set(episodes.map((e) => e.episodeOf?.season ?? 0))].map((season) => ({
        season,
        episodes: episodes
          .filter((e) => e.episodeOf?.season === season)
          .map((e) => ({
            titleId: e.titleId,
            episode: e.episodeOf?.episode ?? 0,
            name: e.name,
            synopsis: e.synopsis,
            durationSeconds: e.durationSeconds,
            posterPath: e.posterPath,
          })),
      }));
      return { ...title, intro: null, credits: null, episodeOf: null, nextEpisode: null, seasons };
    }
    const next = series ? await nextShownEpisode(views, level, series, entry.titleId) : null;
    return {
      ...title,
      intro: entry.intro,
      credits: entry.credits,
      episodeOf: seriesPlaceOf(placed),
      nextEpisode:
        next?.episodeOf != null
          ? { titleId: next.titleId, season: next.episodeOf.season, episode: next.episodeOf.episode, name: next.name }
          : null,
      seasons: null,
    };
  },
});
