import type { RequestHandler } from 'express';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * A registry of the app's own, not prom-client's global one, so two apps in one process (tests,
 * benchmarks) count separately. It holds the process metrics from the start.
 */
export const createMetricsRegistry = () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
};

/**
 * Counts and times every request on the registry. Requests are labelled by the operation's
 * route pattern, never by raw path, to keep the number of series bounded.
 */
export const createHttpMetrics = (registry: Registry) => {
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

  // prom-client hashes a label set on every call; the few combinations an API has are bound once.
  const series = new Map<string, { count: () => void; time: (seconds: number) => void }>();
  const seriesFor = (method: string, route: string, status: number) => {
    const key = `${method} ${route} ${status}`;
    let known = series.get(key);
    if (!known) {
      const labels = { method, route, status: String(status) };
      const counter = requests.labels(labels);
      const histogram = duration.labels(labels);
      known = { count: () => counter.inc(), time: (seconds) => histogram.observe(seconds) };
      series.set(key, known);
    }
    return known;
  };

  const measureRequests: RequestHandler = (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const measured = seriesFor(req.method, res.locals.route ?? 'unmatched', res.statusCode);
      measured.count();
      measured.time((performance.now() - started) / 1000);
    });
    next();
  };
  return { measureRequests };
};
