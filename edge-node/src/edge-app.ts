import { createServer, type Server } from 'node:http';
import { contentPathRoot, type Logger, originPathwayId } from '@marquee/platform';
import express from 'express';
import type { Catalog } from './catalog-follower';
import type { EdgeDisk, OriginDisk } from './content-disk';
import { createContentHandler } from './content-server';
import type { EdgeMetrics } from './edge-metrics';
import type { FillAgent } from './fill-agent';
import type { ServingReporter } from './serving-reporter';
import type { ServedRequest } from './serving-tally';
import { createSessionFigures, type SessionFiguresTable } from './session-figures';

/*
 * The node's HTTP server: /c/ goes straight to the content handler (the hot path, no
 * framework), everything else (health, metrics, status) to a small express app.
 */

export type EdgeIdentity =
  | { role: 'origin' }
  | { role: 'edge'; edgeId: string; region: string; capacityBytes: number; upstream: string; url: string };

export type EdgeAppOptions = {
  identity: EdgeIdentity;
  disk: OriginDisk | EdgeDisk;
  contentTokenSecret: string;
  metrics: EdgeMetrics;
  logger: Logger;
  /** Withdrawn titles and the edges' URLs, followed from the log. */
  catalog: Catalog;
  /** The origin's public URL: the last pathway of every session. */
  originUrl: string;
  /** The steering server's base URL (the query API's /steering). */
  steeringUrl: string;
  fillAgent?: FillAgent;
  /** Behind nginx: hits are handed to it with X-Accel-Redirect (see nginx-front.ts). */
  accelRedirect?: string;
  /** Requests being answered right now, for the heartbeat's load. */
  inFlight?: { count: number };
  /** Each session's serving figures; shared with the nginx front, which reports the hits it sent itself. */
  sessions?: SessionFiguresTable;
  /** Serving telemetry: each answered content request is counted into its interval. */
  telemetry?: Pick<ServingReporter, 'record' | 'status'>;
};

const isEdgeDisk = (disk: OriginDisk | EdgeDisk): disk is EdgeDisk => 'held' in disk;

export const createEdgeServer = (options: EdgeAppOptions): Server => {
  const { identity, disk, metrics, logger, fillAgent } = options;
  const inFlight = options.inFlight ?? { count: 0 };
  const sessions = options.sessions ?? createSessionFigures();
  const self =
    identity.role === 'edge'
      ? { id: identity.edgeId, url: identity.url }
      : { id: originPathwayId, url: options.originUrl };
  const content = createContentHandler({
    disk,
    contentTokenSecret: options.contentTokenSecret,
    metrics,
    catalog: options.catalog,
    manifests: {
      directory: { self, originUrl: options.originUrl, edgeUrl: options.catalog.edgeUrl },
      steeringUrl: options.steeringUrl,
    },
    sessions,
    ...(options.accelRedirect && { accelRedirect: options.accelRedirect }),
    ...(options.telemetry && { onServed: (served: ServedRequest) => options.telemetry?.record(served) }),
    ...(identity.role === 'edge' &&
      fillAgent && { pullThrough: { upstream: identity.upstream, requestFill: fillAgent.requestFill } }),
    onError: (error, path) =>
      logger.error({ path, error: error instanceof Error ? error.message : String(error) }, 'content request failed'),
  });

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', role: identity.role, ...(identity.role === 'edge' && { edgeId: identity.edgeId }) });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/status', (_req, res) => {
    const telemetry = options.telemetry?.status();
    if (identity.role === 'origin' || !isEdgeDisk(disk)) {
      res.json({ role: 'origin', contentDir: disk.contentDir, telemetry, sessions: sessions.list() });
      return;
    }
    const held = disk
      .held()
      .toSorted((a, b) => b.lastServedAt - a.lastServedAt)
      .map((entry) => ({
        ...entry,
        lastServedAt: new Date(entry.lastServedAt).toISOString(),
        lastRequestedAt: entry.lastRequestedAt === null ? null : new Date(entry.lastRequestedAt).toISOString(),
      }));
    const usedBytes = disk.usedBytes();
    res.json({
      role: 'edge',
      edgeId: identity.edgeId,
      region: identity.region,
      url: identity.url,
      upstream: identity.upstream,
      capacityBytes: identity.capacityBytes,
      usedBytes,
      freeBytes: identity.capacityBytes - usedBytes,
      activeRequests: inFlight.count,
      held,
      ...fillAgent?.status(),
      telemetry,
      sessions: sessions.list(),
    });
  });
  app.use((_req, res) => {
    res.status(404).json({
      error: 'NotFound',
      message: 'Try /c/<token>/<titleId>/<encodingId>/<file>, /status, /healthz or /metrics.',
    });
  });

  return createServer((req, res) => {
    if (!req.url?.startsWith(contentPathRoot) && req.method !== 'OPTIONS') {
      app(req, res);
      return;
    }
    inFlight.count += 1;
    res.once('close', () => {
      inFlight.count -= 1;
    });
    void content(req, res);
  });
};
