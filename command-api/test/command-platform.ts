import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { edgeDecider, streamName, titleDecider } from '@marquee/domain';
import {
  createAggregateCache,
  createLogger,
  createServerWithTimeouts,
  type EventStore,
  handleCommand,
  type Logger,
  openEventStore,
  openRedisEdgeHealth,
  openViewStore,
  parseApiKeys,
  readConfig,
  type ServerTimeoutSettings,
  trustProxyConfig,
} from '@marquee/platform';
import type { Redis } from 'ioredis';
import { createCommandApp, openSharedState, type RateLimits } from '../src';

/*
 * The command API as main.ts builds it, on fresh SQLite files, the machine's Redis and a random
 * port, with helpers to call it as a viewer, a content team or anyone.
 */

export const tokenSecret = 'command-api-test-secret-0123456789abcdef';
export const contentKey = 'content-key-0123456789abcdef';
export const analystKey = 'analyst-key-0123456789abcdef';
export const contentTokenSecret = 'content-token-secret-0123456789abcdef';
export const originUrl = 'http://127.0.0.1:8100';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A Redis key prefix of this test run's own, so runs sharing the machine's Redis stay apart. */
export const freshRedisPrefix = () => `marquee-test:${randomUUID()}:`;

/** Removes what a test run left under its prefix. */
export const removeRedisKeys = async (redis: Redis, prefix: string) => {
  const stream = redis.scanStream({ match: `*${prefix}*`, count: 500 });
  for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
};

/** The types of a stream's events, in order. */
export const eventTypes = async (store: EventStore, stream: string) => {
  const types: string[] = [];
  for await (const event of store.readStream(stream)) types.push(event.type);
  return types;
};

export type Caller = { token: string } | { key: string } | undefined;
// biome-ignore lint/suspicious/noExplicitAny: each test asserts the shape of the bodies it reads.
export type Answer = { status: number; body: any; headers: Headers };

export const startCommandApi = async (
  options: {
    rateLimits?: Partial<RateLimits>;
    maxUploadBytes?: number;
    now?: () => Date;
    /** What the app sees of the store, e.g. one that fails some appends. */
    wrapEventStore?: (store: EventStore) => EventStore;
    answerTtlMs?: number;
    /** Where the shared state is: a Redis that does not answer, to see the API degrade. */
    redisUrl?: string;
    /** Where edge health is: a Redis of the test's own that it stops, to see playback degrade. */
    edgeHealthRedisUrl?: string;
    /** Where the API logs (silent unless a test reads what it says). */
    logger?: Logger;
    /** How long content tokens last (an hour unless a test renews them sooner). */
    contentTokenTtlSeconds?: number;
    /** Serve with main.ts's timeouts, at these settings (Node's defaults otherwise). */
    serverTimeouts?: ServerTimeoutSettings;
    /** TRUST_PROXY, as main.ts reads it. */
    trustProxy?: string;
    /** PASSWORD_HASH_COST, as main.ts reads it. */
    passwordCost?: number;
  } = {},
) => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-commands-'));
  const eventStore = await openEventStore(`sqlite:${join(dir, 'events.db')}`);
  const viewStore = await openViewStore(`sqlite:${join(dir, 'views.db')}`);
  const logger = options.logger ?? createLogger('command-api', 'silent');
  const now = options.now ?? (() => new Date());
  const edgeHealth = openRedisEdgeHealth(options.edgeHealthRedisUrl ?? redisUrl, { now, logger });
  const shared = openSharedState({
    redisUrl: options.redisUrl ?? redisUrl,
    keyPrefix: freshRedisPrefix(),
    logger,
  });
  const uploads = join(dir, 'uploads');
  const app = createCommandApp(
    {
      eventStore: options.wrapEventStore ? options.wrapEventStore(eventStore) : eventStore,
      viewStore,
      edgeHealth,
      access: {
        tokenSecret,
        apiKeys: parseApiKeys(`studio:content:${contentKey},insights:analyst:${analystKey}`),
      },
      contentTokens: { secret: contentTokenSecret, ttlSeconds: options.contentTokenTtlSeconds ?? 3600 },
      originUrl,
      uploads: { directory: uploads, maxBytes: options.maxUploadBytes ?? 50_000_000, expiryMs: 24 * 3600 * 1000 },
      // The lowest cost PASSWORD_HASH_COST allows, so hundreds of sign-ups stay quick; the
      // default's hashes are checked in platform's tests and where a test asks for them.
      passwordCost: options.passwordCost ?? 14,
      aggregates: createAggregateCache(),
      now,
    },
    {
      logger,
      rateLimits: { logInsPerMinute: 1000, signUpsPerMinute: 1000, ...options.rateLimits },
      shared,
      answerTtlMs: options.answerTtlMs ?? 24 * 3600 * 1000,
      // Every answer a test reads is checked against the API's own OpenAPI description.
      validateResponses: true,
      ...(options.trustProxy !== undefined && {
        trustProxy: readConfig(trustProxyConfig, { TRUST_PROXY: options.trustProxy }).TRUST_PROXY,
      }),
    },
  );
  const server = options.serverTimeouts
    ? createServerWithTimeouts(app, options.serverTimeouts).listen(0, '127.0.0.1')
    : app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const call = async (
    method: string,
    path: string,
    who: Caller,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const sent: Record<string, string> = { ...headers };
    if (who && 'token' in who) sent.authorization = `Bearer ${who.token}`;
    if (who && 'key' in who) sent['x-api-key'] = who.key;
    if (body !== undefined) sent['content-type'] ??= 'application/json';
    const response = await fetch(`${url}${path}`, {
      method,
      headers: sent,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, body: parsed, headers: response.headers };
  };

  return {
    url,
    dir,
    uploads,
    eventStore,
    viewStore,
    edgeHealth,
    redis: shared.redis,
    redisPrefix: shared.keyPrefix,
    call,
    post: (path: string, who: Caller, body: unknown = {}, headers?: Record<string, string>) =>
      call('POST', path, who, body, headers),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await eventStore.close();
      await viewStore.close();
      await edgeHealth.close();
      if (!options.redisUrl) await removeRedisKeys(shared.redis, shared.keyPrefix);
      await shared.close().catch(() => {});
    },
  };
};

export type CommandApi = Awaited<ReturnType<typeof startCommandApi>>;
export const content = { key: contentKey };

/** A viewer with an active plan and a profile, signed up through the API. */
export const signUpViewer = async (api: CommandApi, plan: 'basic' | 'standard' | 'premium', email?: string) => {
  const signedUp = await api.post('/accounts', undefined, {
    email: email ?? `viewer-${Math.random().toString(36).slice(2)}@example.com`,
    password: 'a long enough password',
    plan,
  });
  if (signedUp.status !== 201) throw new Error(`sign-up answered ${signedUp.status}: ${JSON.stringify(signedUp.body)}`);
  const viewer = { token: signedUp.body.token as string };
  const profile = await api.post(`/accounts/${signedUp.body.accountId}/profiles`, viewer, { name: 'Ada' });
  return { accountId: signedUp.body.accountId as string, viewer, profileId: profile.body.profileId as string };
};

/** A title created through the API, with nothing uploaded yet. */
export const createdTitle = async (api: CommandApi) => {
  const created = await api.post('/titles', content, {
    name: 'Orbit',
    synopsis: 'A title.',
    genres: ['scifi'],
    year: 2024,
    maturityRating: '13+',
  });
  return created.body.titleId as string;
};

/** A title created through the API and, as the encoding farm (not built yet) would record it, encoded. */
export const encodedTitle = async (api: CommandApi, options: { publish?: boolean; heights?: number[] } = {}) => {
  const titleId = await createdTitle(api);
  await recordEncoding(api.eventStore, titleId, options.heights ?? [360, 720, 1080, 2160]);
  if (options.publish ?? true) await api.post(`/titles/${titleId}/publish`, content);
  return titleId;
};

export const recordEncoding = async (store: EventStore, titleId: string, heights: number[]) => {
  const at = new Date().toISOString();
  const stream = streamName('title', titleId);
  const sha = 'e'.repeat(64);
  await handleCommand(store, stream, titleDecider, [
    {
      type: 'RecordSourceUpload',
      uploadId: 'u1',
      path: '/uploads/u1',
      sizeBytes: 10,
      sha256: sha,
      probe: { durationSeconds: 600, width: 3840, height: 2160, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' },
      at,
    },
    { type: 'RecordEncodingStarted', encodingId: 'e1', uploadId: 'u1', at },
    {
      type: 'RecordEncodingSucceeded',
      encodingId: 'e1',
      ladder: heights.map((height) => ({ width: Math.round((height * 16) / 9), height, videoBitrateKbps: height * 4 })),
      manifestPath: `${titleId}/e1/manifest.mpd`,
      packageIndex: { files: 10, bytes: 1000, sha256: sha },
      durationSeconds: 600,
      encodeSeconds: 5,
      at,
    },
  ]);
};

/** An edge that registered and holds a title's encoding, as edges (not built yet) will record it. */
export const edgeHolding = async (
  store: EventStore,
  edge: { edgeId: string; region: string; port: number },
  titleId: string,
) => {
  const at = new Date().toISOString();
  await handleCommand(store, streamName('edge', edge.edgeId), edgeDecider, [
    {
      type: 'RegisterEdge',
      edgeId: edge.edgeId,
      url: `http://127.0.0.1:${edge.port}`,
      region: edge.region,
      capacityBytes: 1_000_000,
      upstream: originUrl,
      at,
    },
    { type: 'StartFill', titleId, encodingId: 'e1', bytes: 1000, at },
    { type: 'CompleteFill', titleId, encodingId: 'e1', bytes: 1000, seconds: 1, at },
  ]);
};
