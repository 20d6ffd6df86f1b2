import type { EventStore, ViewStore } from '@marquee/platform';
import type { AnyProjection } from '@marquee/projections';
import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import { defineOperation, Reply } from '../operation';
import { projectionLags } from './projection-lag';

/**
 * A registry of the app's own, not prom-client's global one, so two apps in one process (tests,
 * benchmarks) count separately. Requests are labelled by route pattern, never by raw path, to
 * keep the number of series bounded.
 */
export const createMetrics = (stores: {
  viewStore: ViewStore;
  eventStore: EventStore;
  projections: readonly AnyProjection[];
}) => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status.',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'projection_lag_positions',
    help: "Events in the log that a projection's live view has not read yet (head minus its checkpoint).",
    labelNames: ['projection'] as const,
    registers: [registry],
    async collect() {
      const { lags } = await projectionLags(stores.viewStore, stores.eventStore, stores.projections);
      this.reset();
      for (const { projection, lag } of lags) this.set({ projection }, lag);
    },
  });

  const measureRequests: RequestHandler = (req, res, next) => {
    const stopTimer = duration.startTimer();
    res.on('finish', () => {
      const labels = { method: req.method, route: res.locals.route ?? 'unmatched', status: String(res.statusCode) };
      requests.inc(labels);
      stopTimer(labels);
    });
    next();
  };
  return { registry, measureRequests };
};

export const metrics = defineOperation({
  path: '/metrics',
  summary: 'Prometheus metrics: requests, latency, projection lag, and the process',
  access: 'public',
  query: z.strictObject({}),
  handle: async ({ context }) => new Reply(200, await context.metrics.metrics(), context.metrics.contentType),
});
