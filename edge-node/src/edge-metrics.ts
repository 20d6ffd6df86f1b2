import { createMetricsRegistry } from '@marquee/platform';
import { Counter, Gauge } from 'prom-client';

/** What an operator of a CDN node watches: traffic out, hit ratio, fill traffic in, disk. */
export const createEdgeMetrics = (usedBytes: () => number) => {
  const registry = createMetricsRegistry();
  const requests = new Counter({
    name: 'edge_content_requests_total',
    help: 'Content requests, by result: hit (served from this disk), miss (pulled through from upstream), refused (token), not_found.',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const bytesServed = new Counter({
    name: 'edge_bytes_served_total',
    help: 'Content bytes sent to players and downstream edges.',
    registers: [registry],
  });
  const fillBytes = new Counter({
    name: 'edge_fill_bytes_total',
    help: 'Bytes downloaded from upstream by fills.',
    registers: [registry],
  });
  const fillReusedBytes = new Counter({
    name: 'edge_fill_reused_bytes_total',
    help: 'Bytes of completed fills taken from packages already on this disk (matched by sha256) instead of downloaded.',
    registers: [registry],
  });
  const fillSeconds = new Counter({
    name: 'edge_fill_seconds_total',
    help: 'Seconds spent on fills that completed.',
    registers: [registry],
  });
  const fills = new Counter({
    name: 'edge_fills_total',
    help: 'Fills finished, by outcome (completed, failed, cancelled).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const servingIntervals = new Counter({
    name: 'edge_serving_intervals_reported_total',
    help: 'Intervals of serving telemetry appended to the log (one ServingReported each).',
    registers: [registry],
  });
  new Gauge({
    name: 'edge_disk_used_bytes',
    help: 'Bytes of whole packages held on this disk.',
    registers: [registry],
    collect() {
      this.set(usedBytes());
    },
  });
  const byResult = {
    hit: requests.labels({ result: 'hit' }),
    miss: requests.labels({ result: 'miss' }),
    refused: requests.labels({ result: 'refused' }),
    not_found: requests.labels({ result: 'not_found' }),
  };
  return {
    registry,
    request: (result: keyof typeof byResult) => byResult[result].inc(),
    served: (bytes: number) => bytesServed.inc(bytes),
    filled: (bytes: number) => fillBytes.inc(bytes),
    reused: (bytes: number) => fillReusedBytes.inc(bytes),
    servingReported: () => servingIntervals.inc(),
    fillFinished: (outcome: 'completed' | 'failed' | 'cancelled', seconds = 0) => {
      fills.labels({ outcome }).inc();
      if (outcome === 'completed') fillSeconds.inc(seconds);
    },
  };
};

export type EdgeMetrics = ReturnType<typeof createEdgeMetrics>;
