import { Reply } from '@marquee/platform';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { projectionLags } from './projection-lag';

/** Lags up to this many events are shown exactly in /readyz; counting reads them on EventStoreDB. */
const shownLagLimit = 1000;

export const healthz = defineQueryOperation({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness: the process is up and answering',
  access: 'public',
  response: z.object({ status: z.literal('ok') }),
  handle: async () => ({ status: 'ok' }),
});

export const readyz = defineQueryOperation({
  method: 'get',
  path: '/readyz',
  summary: 'Readiness: 200 when every live view is within READY_MAX_LAG events of the log, else 503',
  description: 'Lists each projection with its checkpoint and lag; a 503 names the ones lagging.',
  access: 'public',
  response: z.object({
    status: z.literal('ready'),
    head: z.number(),
    maxLag: z.number(),
    lagging: z.array(z.object({ projection: z.string(), lag: z.number(), built: z.boolean() })),
    projections: z.array(
      z.object({ projection: z.string(), collection: z.string().nullable(), position: z.number(), lag: z.number() }),
    ),
  }),
  handle: async ({ context }) => {
    // One past the allowance tells lagging from ready; up to a thousand is shown as it is.
    const { head, lags } = await projectionLags(
      context,
      context.projections,
      Math.max(context.readyMaxLag + 1, shownLagLimit),
    );
    const lagging = lags.filter((p) => p.collection === null || p.lag > context.readyMaxLag);
    const ready = lagging.length === 0;
    return new Reply(ready ? 200 : 503, {
      status: ready ? 'ready' : 'lagging',
      head,
      maxLag: context.readyMaxLag,
      lagging: lagging.map(({ projection, lag, collection }) => ({ projection, lag, built: collection !== null })),
      projections: lags,
    });
  },
});
