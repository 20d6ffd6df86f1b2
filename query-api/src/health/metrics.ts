import { type CheckpointStore, type EventStore, Reply, type ViewStore } from '@marquee/platform';
import type { AnyProjection } from '@marquee/read-models';
import { Gauge, type Registry } from 'prom-client';
import { defineQueryOperation } from '../query-context';
import { projectionLags } from './projection-lag';

/** Where the gauge stops counting: counting reads the events on EventStoreDB, at every scrape. */
const lagCountLimit = 10_000;

/** How far each live view lags the log, read when Prometheus scrapes. */
export const registerProjectionLag = (
  registry: Registry,
  stores: {
    viewStore: ViewStore;
    checkpoints: CheckpointStore;
    eventStore: EventStore;
    projections: readonly AnyProjection[];
  },
) =>
  new Gauge({
    name: 'projection_lag_events',
    help: `Events in the log after a projection's live view's checkpoint, counted up to ${lagCountLimit}.`,
    labelNames: ['projection'] as const,
    registers: [registry],
    async collect() {
      const { lags } = await projectionLags(stores, stores.projections, lagCountLimit);
      this.reset();
      for (const { projection, lag } of lags) this.set({ projection }, lag);
    },
  });

export const metrics = defineQueryOperation({
  method: 'get',
  path: '/metrics',
  summary: 'Prometheus metrics: requests, latency, projection lag, and the process',
  access: 'public',
  handle: async ({ context }) => new Reply(200, await context.metrics.metrics(), context.metrics.contentType),
});
