import {
  type ApiKeys,
  type CheckpointStore,
  createHttpMetrics,
  createLogger,
  createMetricsRegistry,
  describeApi,
  type EncodingStatusReader,
  type EventStore,
  errorResponse,
  type Logger,
  mountOperations,
  type Operation,
  requestLog,
  routeNotFound,
  type ViewStore,
} from '@marquee/platform';
import { type AnyProjection, allProjections } from '@marquee/read-models';
import express from 'express';

import { getOwnAccount } from './accounts/own-account';
import { getOffload } from './analytics/offload';
import { getOriginTitles } from './analytics/origin-titles';
import { getPopularity } from './analytics/popularity';
import { browseCatalog } from './catalog/browse-catalog';
import { getCatalogTitle } from './catalog/catalog-title';
import { docs, openApiJson, queryApiInfo } from './docs/api-docs';
import { getEdge } from './edges/edge-detail';
import { listEdges } from './edges/list-edges';
import { healthz, readyz } from './health/health-checks';
import { metrics, registerProjectionLag } from './health/metrics';
import { getContinueWatching } from './profiles/continue-watching';
import { getWatchHistory } from './profiles/watch-history';
import type { QueryContext, SteeringSettings } from './query-context';
import { listSeries } from './series/list-series';
import { getSeriesDetail } from './series/series-detail';
import { getEdgeQoE } from './stats/edge-qoe';
import { getTitleStats } from './stats/title-stats';
import { getTopTitles } from './stats/top-titles';
import { steerSession } from './steering/steer-session';
import { getEncodingStatus } from './titles/encoding-status';
import { listTitles } from './titles/list-titles';
import { getTitleDetail } from './titles/title-detail';

/** Every endpoint the API serves, in the order the docs list them. */
export const queryOperations: readonly Operation<QueryContext>[] = [
  browseCatalog,
  getCatalogTitle,
  listTitles,
  getTitleDetail,
  getEncodingStatus,
  listSeries,
  getSeriesDetail,
  getWatchHistory,
  getContinueWatching,
  getOwnAccount,
  listEdges,
  getEdge,
  getTopTitles,
  getTitleStats,
  getEdgeQoE,
  getOffload,
  getOriginTitles,
  getPopularity,
  steerSession,
  healthz,
  readyz,
  metrics,
  openApiJson,
  docs,
];

export type QueryAppOptions = {
  viewStore: ViewStore;
  /** The projections' checkpoints (beside the views, embedded). */
  checkpoints: CheckpointStore;
  eventStore: EventStore;
  access: { tokenSecret: string; apiKeys: ApiKeys };
  /** /readyz answers 503 while any live view is more than this many events behind the log. */
  readyMaxLag: number;
  /** Defaults to JSON logs at LOG_LEVEL (info when unset). */
  logger?: Logger;
  /** The views whose lag /readyz and the metrics report; all of them unless a test says otherwise. */
  projections?: readonly AnyProjection[];
  /** The encoding farm's queue, for a title's encoding progress and queue position. */
  encodings?: EncodingStatusReader;
  /** Content steering: edge health (Redis), the content token secret, the steering TTL. */
  steering: SteeringSettings;
  /** Check every success answer against its operation's response schema (tests turn it on). */
  validateResponses?: boolean;
  /** The clock analytics read by (the system's unless a test sets it). */
  now?: () => Date;
};

/** The document GET /openapi.json serves, without building the app (the player's types are generated from it). */
export const queryApiDocument = () => describeApi(queryApiInfo, queryOperations);

export const createQueryApp = (options: QueryAppOptions) => {
  const projections = options.projections ?? allProjections;
  const logger = options.logger ?? createLogger('query-api');
  const registry = createMetricsRegistry();
  const { measureRequests } = createHttpMetrics(registry);
  registerProjectionLag(registry, { ...options, projections });
  const context: QueryContext = {
    viewStore: options.viewStore,
    checkpoints: options.checkpoints,
    eventStore: options.eventStore,
    access: options.access,
    projections,
    readyMaxLag: options.readyMaxLag,
    metrics: registry,
    operations: queryOperations,
    encodings: options.encodings,
    steering: options.steering,
    logger,
    now: options.now ?? (() => new Date()),
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(logger));
  app.use(measureRequests);
  const router = express.Router();
  mountOperations(router, queryOperations, context, { validateResponses: options.validateResponses ?? false });
  app.use(router);
  app.use(routeNotFound);
  app.use(errorResponse);
  return app;
};
