import { type ApiInfo, apiDocsOperations, type EventStore, Reply, VersionConflict } from '@marquee/platform';
import { Counter, type Registry } from 'prom-client';
import { z } from 'zod';
import { defineCommandOperation } from './command-operation';

/** An event store that counts what the API appends and the conflicts it meets, for /metrics. */
export const countAppends = (store: EventStore, registry: Registry): EventStore => {
  const appends = new Counter({
    name: 'event_appends_total',
    help: 'Appends to the event store, by stream category and outcome',
    labelNames: ['category', 'outcome'],
    registers: [registry],
  });
  const events = new Counter({ name: 'events_appended_total', help: 'Events appended', registers: [registry] });
  return {
    ...store,
    appendToStream: async (streamName, toAppend, options) => {
      const category = streamName.split('-')[0] ?? streamName;
      try {
        const result = await store.appendToStream(streamName, toAppend, options);
        appends.inc({ category, outcome: 'appended' });
        events.inc(toAppend.length);
        return result;
      } catch (error) {
        appends.inc({ category, outcome: error instanceof VersionConflict ? 'conflict' : 'failed' });
        throw error;
      }
    },
  };
};

export const healthz = defineCommandOperation({
  method: 'get',
  path: '/healthz',
  summary: 'Answers 200 while the process is up',
  access: 'public',
  response: z.object({ status: z.literal('ok') }),
  handle: async () => ({ status: 'ok' }),
});

export const readyz = defineCommandOperation({
  method: 'get',
  path: '/readyz',
  summary:
    'Answers 200 when the event store and the view store answer (status "degraded", naming what, while the kept answers or edge health in Redis do not), 503 otherwise',
  access: 'public',
  response: z.object({
    status: z.enum(['ready', 'degraded']),
    head: z.number(),
    degraded: z.array(z.string()).optional().describe('What does not answer, while degraded.'),
  }),
  handle: async ({ context }) => {
    const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
    try {
      const head = await context.eventStore.headPosition();
      await context.viewStore.listAliases();
      const whileDown = (check: Promise<void>, what: string, meanwhile: string) =>
        check.then(
          () => [],
          (error: unknown) => [`${what}: ${reasonOf(error)}; ${meanwhile}`],
        );
      const degraded = (
        await Promise.all([
          whileDown(context.answers.ping(), 'kept answers (Redis)', 'keyed commands run without replays'),
          whileDown(
            context.edgeHealth.ping(),
            'edge health (Redis)',
            'playback starts on the edges seen healthy moments ago, and the origin',
          ),
        ])
      ).flat();
      return degraded.length > 0 ? { status: 'degraded', head, degraded } : { status: 'ready', head };
    } catch (error) {
      return new Reply(503, { status: 'not ready', reason: reasonOf(error) });
    }
  },
});

export const metrics = defineCommandOperation({
  method: 'get',
  path: '/metrics',
  summary: 'Prometheus metrics: requests, latency, appends, conflicts, and the process',
  access: 'public',
  handle: async ({ context }) => new Reply(200, await context.metrics.metrics(), context.metrics.contentType),
});

export const commandApiInfo: ApiInfo = {
  title: 'Marquee command API',
  description:
    'Every change in Marquee enters here as a command that appends events: accounts, titles and their sources, playback. Send Idempotency-Key on a POST to make retries safe.',
};

export const [openApiJson, docs] = apiDocsOperations(defineCommandOperation, commandApiInfo);
