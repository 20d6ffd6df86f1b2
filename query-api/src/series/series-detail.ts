import { NotFound } from '@marquee/platform';
import { seriesDetail, seriesDetailDocument, titleDetail, titleDetailDocument } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam, idParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';

const seriesEpisode = titleDetailDocument
  .pick({ titleId: true, name: true, status: true, maturityRating: true, markers: true, introProposal: true })
  .extend({ season: z.number(), episode: z.number() });

export const getSeriesDetail = defineQueryOperation({
  method: 'get',
  path: '/series/:seriesId',
  summary: 'One series with every episode, published or not, its status, markers and intro proposal',
  access: ['content'],
  params: z.strictObject({ seriesId: idParam('series') }),
  query: z.strictObject({ asOf: asOfParam }),
  response: seriesDetailDocument.omit({ episodes: true }).extend({ episodes: z.array(seriesEpisode) }),
  errors: viewReadErrors,
  handle: async ({ params, query, context }) => {
    const views = readViews(context, query.asOf);
    const series = await views(seriesDetail).get(params.seriesId);
    if (!series) throw new NotFound(`There is no series "${params.seriesId}".`, { code: 'SeriesNotFound' });
    const titles = await views(titleDetail).getMany(series.episodes.map((slot) => slot.titleId));
    // An episode whose title the projections have not reached yet is left out until they do.
    const episodes = series.episodes.flatMap(({ titleId, season, episode }) => {
      const title = titles.get(titleId);
      if (!title) return [];
      const { name, status, maturityRating, markers, introProposal } = title;
      return [{ titleId, season, episode, name, status, maturityRating, markers, introProposal }];
    });
    return { ...series, episodes };
  },
});
