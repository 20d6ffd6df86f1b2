import {
  createHttpMetrics,
  createMetricsRegistry,
  describeApi,
  errorResponse,
  type Logger,
  mountOperations,
  type Operation,
  requestLog,
  routeNotFound,
  TooManyRequests,
} from '@marquee/platform';
import express, { type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import {
  cancelSubscriptionOperation,
  changePlanOperation,
  createProfileOperation,
  setMaturityLevelOperation,
  setProfileLanguagesOperation,
} from './accounts/account-changes';
import { logInOperation } from './accounts/log-in';
import { signUpOperation } from './accounts/sign-up';
import type { CommandApiContext } from './command-operation';
import type { CommandContext } from './context';
import { openRedisKeptAnswers } from './idempotency/kept-answers';
import { fingerprintSecret } from './idempotency/request-fingerprint';
import { commandApiInfo, countAppends, docs, healthz, metrics, openApiJson, readyz } from './operations-endpoints';
import { heartbeatOperation, reportQoEOperation, stopPlaybackOperation } from './playback/session-commands';
import { startPlaybackOperation } from './playback/start-playback';
import { addEpisodeOperation } from './series/add-episode';
import {
  createSeriesOperation,
  publishSeriesOperation,
  unpublishSeriesOperation,
  updateSeriesOperation,
} from './series/series-commands';
import type { SharedState } from './shared-state';
import {
  acceptIntroProposalOperation,
  createTitleOperation,
  publishTitleOperation,
  setMarkersOperation,
  unpublishTitleOperation,
  updateTitleOperation,
} from './titles/title-commands';
import { createTitleUploads, openUploadRecords } from './titles/title-uploads';
import { uploadAudioTrackOperation } from './titles/upload-audio-track';
import { uploadCaptionsOperation } from './titles/upload-captions';
import { uploadSourceOperation } from './titles/upload-source';
import { createRedisUploadLocker } from './titles/uploads/redis-upload-locker';

/** Every endpoint, in the order the docs list them. */
export const commandOperations: readonly Operation<CommandApiContext>[] = [
  signUpOperation,
  logInOperation,
  changePlanOperation,
  cancelSubscriptionOperation,
  createProfileOperation,
  setMaturityLevelOperation,
  setProfileLanguagesOperation,
  createTitleOperation,
  updateTitleOperation,
  uploadSourceOperation,
  uploadAudioTrackOperation,
  uploadCaptionsOperation,
  publishTitleOperation,
  unpublishTitleOperation,
  setMarkersOperation,
  acceptIntroProposalOperation,
  createSeriesOperation,
  updateSeriesOperation,
  addEpisodeOperation,
  publishSeriesOperation,
  unpublishSeriesOperation,
  startPlaybackOperation,
  heartbeatOperation,
  reportQoEOperation,
  stopPlaybackOperation,
  healthz,
  readyz,
  metrics,
  openApiJson,
  docs,
];

/** The document GET /openapi.json serves, without building the app (the player's types are generated from it). */
export const commandApiDocument = () => describeApi(commandApiInfo, commandOperations);

export type RateLimits = { logInsPerMinute: number; signUpsPerMinute: number };

/** Login and sign-up are where passwords are guessed and accounts farmed: a budget per address. */
const perMinute = (limit: number, what: string): RequestHandler =>
  rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(
        new TooManyRequests(`Too many ${what} from this address; wait a minute and try again.`, {
          retryAfterSeconds: 60,
        }),
      ),
  });

export const createCommandApp = (
  context: CommandContext,
  options: {
    logger: Logger;
    rateLimits: RateLimits;
    shared: SharedState;
    /** How long an answer to a keyed request is kept for retries. */
    answerTtlMs: number;
    /** Check every success answer against its operation's response schema (tests turn it on). */
    validateResponses?: boolean;
    /** The proxies whose X-Forwarded-For is believed (TRUST_PROXY); loopback unless told. */
    trustProxy?: string[];
  },
) => {
  const { logger, shared } = options;
  const registry = createMetricsRegistry();
  const app: CommandApiContext = {
    ...context,
    eventStore: countAppends(context.eventStore, registry),
    answers: openRedisKeptAnswers(shared.redis, {
      keyPrefix: shared.keyPrefix,
      ttlMs: options.answerTtlMs,
      onLeaseLost: (error) => logger.warn({ err: error }, 'a key lease lapsed while its request ran'),
    }),
    fingerprintSecret: fingerprintSecret(context.access.tokenSecret),
    logger,
    metrics: registry,
    operations: commandOperations,
  };
  const { measureRequests } = createHttpMetrics(registry);
  const uploads = createTitleUploads(app, {
    locker: createRedisUploadLocker(shared.redis, {
      keyPrefix: shared.keyPrefix,
      onError: (error, what) => logger.error({ err: error }, `${what} failed`),
    }),
    metadataStore: openUploadRecords(shared.redis, shared.keyPrefix),
  });
  const server = express();
  server.disable('x-powered-by');
  // The player's server forwards viewers' requests: rate limits count the viewer's address it
  // passes in X-Forwarded-For, not the proxy's; only the configured proxies are believed.
  server.set('trust proxy', options.trustProxy ?? ['loopback']);
  server.use(requestLog(options.logger));
  server.use(measureRequests);
  server.post('/login', perMinute(options.rateLimits.logInsPerMinute, 'login attempts'));
  server.post('/accounts', perMinute(options.rateLimits.signUpsPerMinute, 'sign-ups'));
  server.use('/titles/uploads', uploads.handle);
  const router = express.Router();
  mountOperations(router, commandOperations, app, { validateResponses: options.validateResponses ?? false });
  server.use(router);
  server.use(routeNotFound);
  server.use(errorResponse);
  return server;
};
