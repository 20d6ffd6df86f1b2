import { deliveryFigures } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';
import { regionParam, resolveWindow, titleFilterParam, windowErrors, windowParams } from './analytics-window';
import { readDelivery } from './read-delivery';

export const getOffload = defineQueryOperation({
  method: 'get',
  path: '/analytics/offload',
  summary: 'Offload ratio and misses by class (content, health, steering): in all, per viewer region, and over time',
  access: ['analyst'],
  query: z.strictObject({ ...windowParams, region: regionParam, titleId: titleFilterParam, asOf: asOfParam }),
  response: z.object({
    from: z.string(),
    until: z.string(),
    bucket: z.enum(['hour', 'day']).describe('The series is per hour for windows up to two days, else per day.'),
    totals: deliveryFigures.extend({
      originEgressBytes: z
        .number()
        .int()
        .nonnegative()
        .describe(
          "Everything the origin sent in the window: to viewers, and to edges filling or pulling through (for a title when titleId is given; not split by region, as the origin's rows do not say which edge asked).",
        ),
    }),
    byRegion: z.array(
      deliveryFigures.extend({ region: z.string().nullable().describe('null: viewers who gave none.') }),
    ),
    series: z.array(deliveryFigures.extend({ at: z.string().describe("The bucket's start.") })),
  }),
  errors: { ...viewReadErrors, ...windowErrors },
  handle: async ({ query, context }) => {
    const window = resolveWindow(query, context.now());
    const summary = await readDelivery(readViews(context, query.asOf), window, query);
    return {
      from: new Date(window.fromMs).toISOString(),
      until: new Date(window.untilMs).toISOString(),
      bucket: summary.bucket,
      totals: summary.totals,
      byRegion: summary.byRegion,
      series: summary.series,
    };
  },
});
