import { z } from 'zod';
import { defineOperation, Reply } from '../operation';
import { projectionLags } from './projection-lag';

export const healthz = defineOperation({
  path: '/healthz',
  summary: 'Liveness: the process is up and answering',
  access: 'public',
  query: z.strictObject({}),
  handle: async () => ({ status: 'ok' }),
});

export const readyz = defineOperation({
  path: '/readyz',
  summary: 'Readiness: 200 when every live view is within READY_MAX_LAG events of the log, else 503',
  description: 'Lists each projection with its checkpoint and lag; a 503 names the ones lagging.',
  access: 'public',
  query: z.strictObject({}),
  handle: async ({ context }) => {
    const { head, lags } = await projectionLags(context.viewStore, context.eventStore, context.projections);
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
