import { deliveryFigures } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam, limitParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';
import { regionParam, resolveWindow, titleFilterParam, windowErrors, windowParams } from './analytics-window';
import { readDelivery, titleNames } from './read-delivery';

export const getOriginTitles = defineQueryOperation({
  method: 'get',
  path: '/analytics/origin-titles',
  summary: 'The titles that cost the origin most bytes sent viewers, with their offload and misses',
  access: ['analyst'],
  query: z.strictObject({
    ...windowParams,
    region: regionParam,
    titleId: titleFilterParam,
    limit: limitParam(10),
    asOf: asOfParam,
  }),
  response: z.object({
    items: z.array(
      deliveryFigures.extend({ titleId: z.string(), name: z.string().nullable().describe('null: no such title now.') }),
    ),
  }),
  errors: { ...viewReadErrors, ...windowErrors },
  handle: async ({ query, context }) => {
    const window = resolveWindow(query, context.now());
    const views = readViews(context, query.asOf);
    const { byTitle } = await readDelivery(views, window, query);
    const top = byTitle.slice(0, query.limit);
    const nameOf = await titleNames(
      views,
      top.map((t) => t.titleId),
    );
    return { items: top.map((figures) => ({ ...figures, name: nameOf(figures.titleId) })) };
  },
});
