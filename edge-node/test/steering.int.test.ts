import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommandApp, openSharedState } from '@marquee/command-api';
import { streamName, titleDecider } from '@marquee/domain';
import {
  createAggregateCache,
  createLogger,
  type EventStore,
  handleCommand,
  openEventStore,
  openRedisEdgeHealth,
  openViewStore,
  parseApiKeys,
  type ViewStore,
} from '@marquee/platform';
import { rebuild } from '@marquee/projections';
import { allProjections } from '@marquee/read-models';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  contentTokenSecret,
  type EdgeProcess,
  eventually,
  filled,
  packageLayout,
  startEdgeProcess,
  writePackage,
} from './edge-fixtures';

/*
 * Steering over real edges: an origin and two edge processes in two regions fill a title the
 * content team published through the command API; playback start ranks the edges that really
 * registered and hold it, and a killed edge leaves the ranking when its heartbeat expires.
 */

let dir: string;
let store: EventStore;
let views: ViewStore;
let server: Server;
let api: string;
let origin: EdgeProcess;
let eu: EdgeProcess;
let us: EdgeProcess;
const contentKey = 'steering-content-key-0123456789';
const suffix = Math.random().toString(36).slice(2, 8);
const [euId, usId] = [`eu-${suffix}`, `us-${suffix}`];
const edgeHealth = openRedisEdgeHealth(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const shared = openSharedState({
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  keyPrefix: `marquee-test:steering-${suffix}:`,
});

const post = async (path: string, body: unknown, auth: Record<string, string>) => {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads the fields it asserts.
  return { status: response.status, body: (await response.json()) as any };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-steering-'));
  const eventStoreUrl = `sqlite:${join(dir, 'events.db')}`;
  store = await openEventStore(eventStoreUrl);
  views = await openViewStore(`sqlite:${join(dir, 'views.db')}`);
  origin = await startEdgeProcess({
    EDGE_ROLE: 'origin',
    EDGE_DIR: join(dir, 'origin'),
    DATA_DIR: dir,
    EVENT_STORE_URL: eventStoreUrl,
  });
  const edge = (edgeId: string, region: string) =>
    startEdgeProcess({
      EDGE_ID: edgeId,
      EDGE_REGION: region,
      EDGE_DIR: join(dir, 'edges', edgeId),
      EDGE_UPSTREAM: origin.url,
      ORIGIN_URL: origin.url,
      EVENT_STORE_URL: eventStoreUrl,
      DATA_DIR: dir,
    });
  [eu, us] = await Promise.all([edge(euId, 'eu'), edge(usId, 'us')]);
  const app = createCommandApp(
    {
      eventStore: store,
      viewStore: views,
      edgeHealth,
      access: {
        tokenSecret: 'steering-token-secret-0123456789abcdef',
        apiKeys: parseApiKeys(`studio:content:${contentKey}`),
      },
      contentTokens: { secret: contentTokenSecret, ttlSeconds: 600 },
      originUrl: origin.url,
      uploads: { directory: join(dir, 'uploads'), maxBytes: 1_000_000, expiryMs: 3600 * 1000 },
      passwordCost: 14,
      aggregates: createAggregateCache(),
      now: () => new Date(),
    },
    {
      logger: createLogger('command-api', 'silent'),
      rateLimits: { logInsPerMinute: 100, signUpsPerMinute: 100 },
      shared,
      answerTtlMs: 3600 * 1000,
    },
  );
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all([eu, us, origin].map((edge) => edge?.stop()));
  server?.closeAllConnections();
  server?.close();
  await Promise.all([store?.close(), views?.close(), edgeHealth.close(), shared.close()]);
  await rm(dir, { recursive: true, force: true });
});

/** What the encoding farm records after it wrote the package into the origin. */
const recordEncoding = async (titleId: string) => {
  const at = new Date().toISOString();
  const { index } = await writePackage(join(dir, 'origin'), titleId, 'e1', packageLayout(50_000, 2));
  await handleCommand(store, streamName('title', titleId), titleDecider, [
    {
      type: 'RecordSourceUpload',
      uploadId: 'u1',
      path: '/uploads/u1',
      sizeBytes: 10,
      sha256: 'e'.repeat(64),
      probe: { durationSeconds: 16, width: 1280, height: 720, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' },
      at,
    },
    { type: 'RecordEncodingStarted', encodingId: 'e1', uploadId: 'u1', at },
    {
      type: 'RecordEncodingSucceeded',
      encodingId: 'e1',
      ladder: [{ width: 640, height: 360, videoBitrateKbps: 800 }],
      manifestPath: `${titleId}/e1/manifest.mpd`,
      packageIndex: { files: index.files.length, bytes: index.totalBytes, sha256: 'f'.repeat(64) },
      durationSeconds: 16,
      encodeSeconds: 1,
      at,
    },
  ]);
};

it('ranks the edges that registered and hold the title, nearest first, and drops one that died', async () => {
  const content = { 'x-api-key': contentKey };
  const created = await post(
    '/titles',
    { name: 'Tides', synopsis: 'Sea.', genres: ['drama'], year: 2025, maturityRating: '13+' },
    content,
  );
  const titleId = created.body.titleId as string;
  await recordEncoding(titleId);
  expect((await post(`/titles/${titleId}/publish`, {}, content)).status).toBe(200);
  // Both edges have recorded their fills: steering ranks the edges the rebuilt view says hold it.
  for (const edge of [eu, us]) await filled(edge, titleId);
  await rebuild({ eventStore: store, viewStore: views, projections: allProjections });

  const signedUp = await post(
    '/accounts',
    { email: `viewer-${suffix}@example.com`, password: 'a long enough password', plan: 'premium' },
    {},
  );
  const viewer = { authorization: `Bearer ${signedUp.body.token}` };
  const profile = await post(`/accounts/${signedUp.body.accountId}/profiles`, { name: 'Ada' }, viewer);
  const play = (region: string) => post('/playback', { profileId: profile.body.profileId, titleId, region }, viewer);

  const fromUs = await play('us');
  expect(fromUs.status).toBe(201);
  expect(fromUs.body.manifests.map((m: { edgeId: string | null }) => m.edgeId)).toEqual([usId, euId, null]);
  const fromEu = await play('eu');
  expect(fromEu.body.manifests.map((m: { edgeId: string | null }) => m.edgeId)).toEqual([euId, usId, null]);

  // The URLs steering gave are ones the edge really serves, from its own disk, written for the
  // session: the edges it was steered to and the origin as pathways, this edge first.
  const first = fromUs.body.manifests[0] as { dash: string; hls: string };
  expect(first.dash).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/c\/[^/]+\/[^/]+\/e1\/manifest\.mpd$/);
  expect(first.hls).toBe(first.dash.replace(/manifest\.mpd$/, 'master.m3u8'));
  const manifest = await fetch(first.dash);
  expect([manifest.status, manifest.headers.get('x-cache')]).toEqual([200, 'hit']);
  const mpd = await manifest.text();
  expect([...mpd.matchAll(/<BaseURL serviceLocation="([^"]+)">(http:\/\/[^/]+)/g)].map((m) => [m[1], m[2]])).toEqual([
    [usId, us.url],
    [euId, eu.url],
    ['origin', origin.url],
  ]);
  expect(mpd).toContain(`<ContentSteering defaultServiceLocation="${usId}" queryBeforeStart="false">`);
  const master = await fetch(first.hls);
  expect(master.status).toBe(200);
  expect(await master.text()).toContain(`#EXT-X-CONTENT-STEERING:SERVER-URI=`);

  await us.kill();
  await eventually(async () => ((await edgeHealth.healthy([usId])).has(usId) ? undefined : true), 10_000);
  const afterDeath = await play('us');
  expect(afterDeath.body.manifests.map((m: { edgeId: string | null }) => m.edgeId)).toEqual([euId, null]);
});
