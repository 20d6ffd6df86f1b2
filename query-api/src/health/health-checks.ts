import { Reply } from '@marquee/platform';
import { z } from 'zod';
import { defineQueryOperation, type QueryContext } from '../query-context';
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

/** What of Redis does not answer, each with what viewers and the content team get meanwhile. */
const redisOutages = async ({ steering, encodings }: QueryContext): Promise<string[]> => {
  const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
  const whileDown = (check: Promise<void> | undefined, what: string, meanwhile: string) =>
    (check ?? Promise.resolve()).then(
      () => [],
      (error: unknown) => [`${what}: ${reasonOf(error)}; ${meanwhile}`],
    );
  const outages = await Promise.all([
    whileDown(
      steering.edgeHealth.ping(),
      'edge health (Redis)',
      'steering ranks the edges seen healthy moments ago, else the order each session started with',
    ),
    whileDown(encodings?.ping(), 'encoding queue (Redis)', 'encoding status answers 503'),
  ]);
  return outages.flat();
};

export const readyz = defineQueryOperation({
  method: 'get',
  path: '/readyz',
  summary: 'Readiness: 200 when every live view is within READY_MAX_LAG events of the log, else 503',
  description:
    'Lists each projection with its checkpoint and lag; a 503 names the ones lagging. While Redis (edge health, ' +
    'the encoding queue) does not answer, the status is "degraded" and `degraded` names what.',
  access: 'public',
  response: z.object({
    status: z.enum(['ready', 'degraded']),
    degraded: z.array(z.string()).optional().describe('What does not answer, while degraded.'),
    head: z.number(),
    maxLag: z.number(),
    lagging: z.array(z.object({ projection: z.string(), lag: z.number(), built: z.boolean() })),
    projections: z.array(
      z.object({ projection: z.string(), collection: z.string().nullable(), position: z.number(), lag: z.number() }),
    ),
  }),
  handle: async ({ context }) => {
    const [{ head, lags }, degraded] = await Promise.all([
      // One past the allowance tells lagging from ready; up to a thousand is shown as it is.
      projectionLags(context, context.projections, Math.max(context.readyMaxLag + 1, shownLagLimit)),
      redisOutages(context),
    ]);
    const lagging = lags.filter((p) => p.collection === null || p.lag > context.readyMaxLag);
    const ready = lagging.length === 0;
    return new Reply(ready ? 200 : 503, {
      status: !ready ? 'lagging' : degraded.length > 0 ? 'degraded' : 'ready',
      ...(degraded.length > 0 && { degraded }),
      head,
      maxLag: context.readyMaxLag,
      lagging: lagging.map(({ projection, lag, collection }) => ({ projection, lag, built: collection !== null })),
      projections: lags,
    });
  },
});
