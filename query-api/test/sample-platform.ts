import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  accountDecider,
  edgeDecider,
  playbackDecider,
  streamName,
  type TitleMetadata,
  titleDecider,
} from '@marquee/domain';
import {
  aggregateStream,
  type CheckpointStore,
  createLogger,
  type EncodingStatusReader,
  type EventStore,
  handleCommand,
  type Logger,
  openCheckpointStore,
  openEventStore,
  openRedisEdgeHealth,
  openViewStore,
  parseApiKeys,
  signAccessToken,
  type ViewStore,
} from '@marquee/platform';
import { rebuild } from '@marquee/projections';
import { allProjections } from '@marquee/read-models';
import { createQueryApp } from '../src';

/*
 * A small Marquee written through the real deciders, its views built by `rebuild`, and the
 * query API served on a random port: what every test here reads.
 */

export const tokenSecret = 'query-api-test-secret-0123456789abcdef';
export const contentKey = 'content-key-0123456789';
export const analystKey = 'analyst-key-0123456789';
export const apiKeys = parseApiKeys(`studio:content:${contentKey},insights:analyst:${analystKey}`);

export type Stores = { eventStore: EventStore; viewStore: ViewStore; checkpoints: CheckpointStore; dir: string };

export const contentTokenSecret = 'query-api-content-token-secret-0123456789';
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const openStores = async (): Promise<Stores> => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-query-'));
  return {
    dir,
    eventStore: await openEventStore(`sqlite:${join(dir, 'events.db')}`),
    viewStore: await openViewStore(`sqlite:${join(dir, 'views.db')}`),
    checkpoints: await openCheckpointStore(`sqlite:${join(dir, 'views.db')}`),
  };
};

export const rebuildViews = (stores: Stores) => rebuild({ ...stores, projections: allProjections });

export type Served = {
  url: string;
  get: (
    path: string,
    who?: Caller,
    // biome-ignore lint/suspicious/noExplicitAny: each test asserts the shape of the bodies it reads.
  ) => Promise<{ status: number; body: any; text: string; headers: Headers }>;
  close: () => Promise<void>;
};

/** Who calls: a viewer's token, a staff key, or a raw header set. */
export type Caller = { token: string } | { key: string } | { headers: Record<string, string> };

export const serve = async (
  stores: Stores,
  options: {
    readyMaxLag?: number;
    steeringRedisUrl?: string;
    /** The clock edge health counts its staleness window by. */
    now?: () => Date;
    /** Where the API logs (silent unless a test reads what it says). */
    logger?: Logger;
    encodings?: EncodingStatusReader;
    /** The clock analytics read by (default windows, popularity's decay). */
    analyticsNow?: () => Date;
  } = {},
): Promise<Served> => {
  const logger = options.logger ?? createLogger('query-api', 'silent');
  const edgeHealth = openRedisEdgeHealth(options.steeringRedisUrl ?? redisUrl, { logger, now: options.now });
  const app = createQueryApp({
    viewStore: stores.viewStore,
    checkpoints: stores.checkpoints,
    eventStore: stores.eventStore,
    access: { tokenSecret, apiKeys },
    readyMaxLag: options.readyMaxLag ?? 0,
    logger,
    ...(options.encodings && { encodings: options.encodings }),
    steering: { edgeHealth, contentTokenSecret, ttlSeconds: 5 },
    // Every answer a test reads is checked against the API's own OpenAPI description.
    validateResponses: true,
    ...(options.analyticsNow && { now: options.analyticsNow }),
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get: async (path, who) => {
      const headers =
        who === undefined
          ? {}
          : 'token' in who
            ? { authorization: `Bearer ${who.token}` }
            : 'key' in who
              ? { 'x-api-key': who.key }
              : who.headers;
      const response = await fetch(`${url}${path}`, { headers });
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: response.status, body, text, headers: response.headers };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // A Redis that never answered cannot be quit politely.
      await edgeHealth.close().catch(() => {});
    },
  };
};

export const viewerToken = (accountId: string, options: { ttlSeconds?: number; now?: Date } = {}) =>
  signAccessToken(tokenSecret, { accountId }, options);
export const content = { key: contentKey };
export const analyst = { key: analystKey };

// ---- writing the world through the deciders ----

const sha = (seed: string) => seed.repeat(64).slice(0, 64);

export type SampleTitle = { titleId: string; name: string; genres: string[]; publishedAt: string; plays: number };

const metadata = (title: { name: string; genres: string[] }): TitleMetadata => ({
  name: title.name,
  synopsis: `${title.name}: a test title.`,
  genres: title.genres,
  year: 2024,
  maturityRating: '13+',
});

export const createTitle = async (
  store: EventStore,
  title: { titleId: string; name: string; genres: string[] },
  at: string,
) => {
  const stream = streamName('title', title.titleId);
  await handleCommand(store, stream, titleDecider, {
    type: 'CreateTitle',
    titleId: title.titleId,
    at,
    ...metadata(title),
  });
  await handleCommand(store, stream, titleDecider, {
    type: 'RecordSourceUpload',
    uploadId: `${title.titleId}-src`,
    path: `/uploads/${title.titleId}.mp4`,
    sizeBytes: 1_000_000,
    sha256: sha('a'),
    probe: { durationSeconds: 600, width: 1920, height: 1080, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' },
    at,
  });
  await handleCommand(store, stream, titleDecider, {
    type: 'RecordEncodingStarted',
    encodingId: `${title.titleId}-enc`,
    uploadId: `${title.titleId}-src`,
    at,
  });
};

export const encodeAndPublish = async (store: EventStore, titleId: string, at: string) => {
  const stream = streamName('title', titleId);
  await handleCommand(store, stream, titleDecider, {
    type: 'RecordEncodingSucceeded',
    encodingId: `${titleId}-enc`,
    ladder: [{ width: 1280, height: 720, videoBitrateKbps: 3000 }],
    manifestPath: `${titleId}/${titleId}-enc/manifest.mpd`,
    packageIndex: { files: 12, bytes: 5_000_000, sha256: sha('b') },
    durationSeconds: 600,
    encodeSeconds: 30,
    at,
  });
  await handleCommand(store, stream, titleDecider, { type: 'PublishTitle', at });
};

export const failEncoding = (store: EventStore, titleId: string, at: string) =>
  handleCommand(store, streamName('title', titleId), titleDecider, {
    type: 'RecordEncodingFailed',
    encodingId: `${titleId}-enc`,
    reason: 'ffmpeg exited with code 1',
    at,
  });

export const registerViewer = async (store: EventStore, accountId: string, profileIds: string[], at: string) => {
  const stream = streamName('account', accountId);
  await handleCommand(store, stream, accountDecider, {
    type: 'RegisterAccount',
    accountId,
    email: `${accountId}@example.com`,
    passwordHash: 'scrypt$not-a-real-hash',
    at,
  });
  await handleCommand(store, stream, accountDecider, { type: 'StartSubscription', plan: 'standard', at });
  for (const profileId of profileIds)
    await handleCommand(store, stream, accountDecider, {
      type: 'CreateProfile',
      profileId,
      name: profileId,
      kids: false,
      at,
    });
};

let sessions = 0;
/** One viewing session: start, then stop at `stopAtSeconds`, with a QoE report for the edge that served it. */
export const watch = async (
  store: EventStore,
  session: {
    accountId: string;
    profileId: string;
    titleId: string;
    at: string;
    stopAtSeconds: number;
    edgeId?: string | null;
  },
) => {
  const sessionId = `s${++sessions}-${session.profileId}-${session.titleId}`;
  const stream = streamName('playback', sessionId);
  const ref = { sessionId, accountId: session.accountId, profileId: session.profileId };
  const { state: title } = await aggregateStream(store, streamName('title', session.titleId), titleDecider);
  await handleCommand(store, stream, playbackDecider, {
    ...ref,
    type: 'StartPlayback',
    plan: 'standard',
    title,
    edges: session.edgeId ? [session.edgeId] : [],
    region: null,
    resumeFromSeconds: 0,
    at: session.at,
  });
  await handleCommand(store, stream, playbackDecider, {
    ...ref,
    type: 'ReportQoE',
    edgeId: session.edgeId ?? null,
    startupMs: 400,
    rebufferCount: 1,
    rebufferMs: 200,
    averageBitrateKbps: 3000,
    switches: 2,
    watchedSeconds: Math.max(1, session.stopAtSeconds),
    at: session.at,
  });
  await handleCommand(store, stream, playbackDecider, {
    ...ref,
    type: 'StopPlayback',
    positionSeconds: session.stopAtSeconds,
    at: session.at,
  });
};

export const registerEdge = async (
  store: EventStore,
  edge: { edgeId: string; region: string; holds: string[] },
  at: string,
) => {
  const stream = streamName('edge', edge.edgeId);
  await handleCommand(store, stream, edgeDecider, {
    type: 'RegisterEdge',
    edgeId: edge.edgeId,
    url: `http://${edge.edgeId}.example:8080`,
    region: edge.region,
    capacityBytes: 100_000_000,
    upstream: 'http://origin.example:8080',
    at,
  });
  for (const titleId of edge.holds) {
    const content = { titleId, encodingId: `${titleId}-enc` };
    await handleCommand(store, stream, edgeDecider, { type: 'StartFill', ...content, bytes: 5_000_000, at });
    await handleCommand(store, stream, edgeDecider, {
      type: 'CompleteFill',
      ...content,
      bytes: 5_000_000,
      seconds: 3,
      at,
    });
  }
};

/*
 * The sample: four published titles whose popularity, name and publish order all differ,
 * a title whose encoding failed, one published then withdrawn, two accounts, two edges.
 */
export const publishedTitles: SampleTitle[] = [
  {
    titleId: 't-dune',
    name: 'Dune Road',
    genres: ['drama', 'scifi'],
    publishedAt: '2026-03-01T10:00:00.000Z',
    plays: 3,
  },
  { titleId: 't-bloom', name: 'Bloom', genres: ['drama'], publishedAt: '2026-03-02T10:00:00.000Z', plays: 0 },
  { titleId: 't-atlas', name: 'Atlas', genres: ['scifi'], publishedAt: '2026-03-03T10:00:00.000Z', plays: 5 },
  { titleId: 't-echo', name: 'Echo Park', genres: ['comedy'], publishedAt: '2026-03-05T10:00:00.000Z', plays: 1 },
];
export const failedTitle = { titleId: 't-cellar', name: 'Cellar Draft', genres: ['drama'] };
export const withdrawnTitle = { titleId: 't-gone', name: 'Gone Tomorrow', genres: ['drama'] };
export const viewers = {
  ada: { accountId: 'a-ada', profiles: ['p-ada', 'p-kid'] },
  bob: { accountId: 'a-bob', profiles: ['p-bob'] },
};
export const edges = [
  { edgeId: 'edge-eu1', region: 'eu', holds: ['t-atlas', 't-dune'] },
  { edgeId: 'edge-us1', region: 'us', holds: ['t-dune'] },
];

const created = '2026-02-01T09:00:00.000Z';
const dayOfPlays = '2026-03-10';

export const writeSample = async (store: EventStore) => {
  for (const title of publishedTitles) {
    await createTitle(store, title, created);
    await encodeAndPublish(store, title.titleId, title.publishedAt);
  }
  await createTitle(store, failedTitle, created);
  await failEncoding(store, failedTitle.titleId, '2026-02-02T09:00:00.000Z');
  await createTitle(store, withdrawnTitle, created);
  await encodeAndPublish(store, withdrawnTitle.titleId, '2026-03-04T10:00:00.000Z');
  await handleCommand(store, streamName('title', withdrawnTitle.titleId), titleDecider, {
    type: 'UnpublishTitle',
    at: '2026-03-06T10:00:00.000Z',
  });
  for (const viewer of Object.values(viewers)) await registerViewer(store, viewer.accountId, viewer.profiles, created);
  for (const edge of edges) await registerEdge(store, edge, created);

  // Every play on one day, so each title's popularity is its number of plays. Ada's profile
  // watched Echo Park to the end, stopped Atlas and Dune Road half way, Dune Road last.
  const ada = { accountId: viewers.ada.accountId, profileId: 'p-ada' };
  const bob = { accountId: viewers.bob.accountId, profileId: 'p-bob' };
  const kid = { accountId: viewers.ada.accountId, profileId: 'p-kid' };
  const plays = [
    { ...ada, titleId: 't-echo', at: `${dayOfPlays}T18:00:00.000Z`, stopAtSeconds: 600, edgeId: null },
    { ...ada, titleId: 't-atlas', at: `${dayOfPlays}T19:00:00.000Z`, stopAtSeconds: 300, edgeId: 'edge-eu1' },
    { ...ada, titleId: 't-dune', at: `${dayOfPlays}T20:00:00.000Z`, stopAtSeconds: 120, edgeId: 'edge-eu1' },
    { ...kid, titleId: 't-dune', at: `${dayOfPlays}T17:00:00.000Z`, stopAtSeconds: 60, edgeId: 'edge-eu1' },
    { ...bob, titleId: 't-dune', at: `${dayOfPlays}T16:00:00.000Z`, stopAtSeconds: 60, edgeId: 'edge-us1' },
    ...Array.from({ length: 4 }, (_, i) => ({
      ...bob,
      titleId: 't-atlas',
      at: `${dayOfPlays}T1${i}:00:00.000Z`,
      stopAtSeconds: 30,
      edgeId: 'edge-eu1',
    })),
  ];
  for (const play of plays) await watch(store, play);
  return { plays };
};

/** The sample written, its views built and served: what most test files start from. */
export const startSample = async (options: { readyMaxLag?: number } = {}) => {
  const stores = await openStores();
  const { plays } = await writeSample(stores.eventStore);
  await rebuildViews(stores);
  const api = await serve(stores, options);
  return { stores, api, plays, viewer: { token: await viewerToken('a-ada') } };
};

/** Stops what `startSample` (or a test's own setup) started. */
export const stopSample = async ({ api, stores }: { api?: Served; stores?: Stores }) => {
  await api?.close();
  await stores?.viewStore.close();
  await stores?.checkpoints.close();
  await stores?.eventStore.close();
};
