import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { type PlaybackEvent, streamName, type TitleEvent } from '@marquee/domain';
import {
  type ContentGrant,
  contentUrl,
  type EventStore,
  signContentToken,
  toEventsToAppend,
  writePackageIndex,
} from '@marquee/platform';
import { type EdgeProcess, freePort, startEdgeNode } from '../src/testing';
import { storedMaster, storedMpd } from './manifest-fixtures';

export type { EdgeProcess };
export { freePort };

/*
 * What the edge tests share: packages written into an origin folder as the encoder lays them out
 * (random bytes stand in for video: the edge only moves and verifies files), edge-node processes
 * started as `npm start` starts them, and TitlePublished / TitleUnpublished appended to the log.
 */

export const contentTokenSecret = 'edge-test-content-secret-0123456789abcdef';

/** An edge process with the tests' content secret and a short heartbeat expiry. */
export const startEdgeProcess = (env: Record<string, string>) =>
  startEdgeNode({ CONTENT_TOKEN_SECRET: contentTokenSecret, HEARTBEAT_TTL_SECONDS: '2', ...env });

export type PackageFileSpec = { path: string; bytes?: number; text?: string };

/** `segment-v720-00002.m4s`: a package file named the way the encoder names it. */
export const segmentName = (rung: string, n: number) => `segment-${rung}-${String(n).padStart(5, '0')}.m4s`;

/** A small package shaped as the encoder lays it out: manifests, a poster, two video rungs (360p, 720p). */
export const packageLayout = (segmentBytes: number, segments = 4): PackageFileSpec[] => [
  { path: 'manifest.mpd', text: storedMpd },
  { path: 'master.m3u8', text: storedMaster },
  { path: 'poster.jpg', bytes: 20_000 },
  ...['v360', 'v720'].flatMap((rung) => [
    { path: `init-${rung}.m4s`, bytes: 800 },
    ...Array.from({ length: segments }, (_, i) => ({ path: segmentName(rung, i + 1), bytes: segmentBytes })),
  ]),
];

export const writePackage = async (
  originDir: string,
  titleId: string,
  encodingId: string,
  files: PackageFileSpec[],
) => {
  const dir = join(originDir, titleId, encodingId);
  for (const file of files) {
    await mkdir(dirname(join(dir, file.path)), { recursive: true });
    await writeFile(join(dir, file.path), file.text ?? randomBytes(file.bytes ?? 0));
  }
  const { index } = await writePackageIndex(dir, {
    titleId,
    encodingId,
    ladder: [{ width: 640, height: 360, videoBitrateKbps: 800 }],
    durationSeconds: 16,
    encodeSeconds: 1,
  });
  return { dir, index };
};

export const appendTitleEvent = async (store: EventStore, titleId: string, event: TitleEvent) => {
  const stream = streamName('title', titleId);
  await store.appendToStream(stream, toEventsToAppend(stream, [event]));
};

export const publish = (store: EventStore, titleId: string, encodingId: string) =>
  appendTitleEvent(store, titleId, {
    type: 'TitlePublished',
    data: { titleId, encodingId, manifestPath: `${titleId}/${encodingId}/manifest.mpd`, at: new Date().toISOString() },
  });

export const unpublish = (store: EventStore, titleId: string, encodingId: string) =>
  appendTitleEvent(store, titleId, {
    type: 'TitleUnpublished',
    data: { titleId, encodingId, at: new Date().toISOString() },
  });

/** EncodingSucceeded for a package: what the popularity policy learns a package's bytes from. */
export const encoded = (
  store: EventStore,
  titleId: string,
  encodingId: string,
  index: { files: number; bytes: number },
) =>
  appendTitleEvent(store, titleId, {
    type: 'EncodingSucceeded',
    data: {
      titleId,
      encodingId,
      ladder: [{ width: 640, height: 360, videoBitrateKbps: 800 }],
      manifestPath: `${titleId}/${encodingId}/manifest.mpd`,
      packageIndex: { ...index, sha256: '0'.repeat(64) },
      durationSeconds: 16,
      encodeSeconds: 1,
      at: new Date().toISOString(),
    },
  });

/** A viewer's play as the command API records it: what the popularity policy counts. */
export const startPlay = async (
  store: EventStore,
  play: { sessionId: string; titleId: string; region: string | null; encodingId?: string },
) => {
  const stream = streamName('playback', play.sessionId);
  const encodingId = play.encodingId ?? 'e1';
  const event: PlaybackEvent = {
    type: 'PlaybackStarted',
    data: {
      sessionId: play.sessionId,
      accountId: `acc-${play.sessionId}`,
      profileId: `prof-${play.sessionId}`,
      titleId: play.titleId,
      encodingId,
      manifestPath: `${play.titleId}/${encodingId}/manifest.mpd`,
      durationSeconds: 16,
      maxHeight: 720,
      edges: [],
      region: play.region,
      resumeFromSeconds: 0,
      at: new Date().toISOString(),
    },
  };
  await store.appendToStream(stream, toEventsToAppend(stream, [event]));
};

/** What a viewer's token grants unless a test says otherwise: a session with no height cap. */
export const viewerGrant = (grant: Partial<ContentGrant> = {}): ContentGrant => ({
  sessionId: 'session-1',
  maxHeight: null,
  region: null,
  pathways: [],
  ...grant,
});

export const viewerToken = (titleId: string, encodingId: string, grant: Partial<ContentGrant> = {}, ttlSeconds = 600) =>
  signContentToken(contentTokenSecret, { titleId, encodingId }, viewerGrant(grant), { ttlSeconds }).token;

/** A file's URL on a node, as a viewer's player asks for it. */
export const viewerUrl = (
  base: string,
  titleId: string,
  file: string,
  grant: Partial<ContentGrant> = {},
  encodingId = 'e1',
) => contentUrl(base, viewerToken(titleId, encodingId, grant), titleId, encodingId, file);

/** Polls until `check` returns something, or fails with what it last saw. */
export const eventually = async <T>(check: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition') => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

export const edgeStatus = async (edge: EdgeProcess) => {
  const response = await fetch(`${edge.url}/status`);
  // biome-ignore lint/suspicious/noExplicitAny: tests assert the fields they read.
  return (await response.json()) as any;
};

/**
 * Waits until the edge holds the package and has appended its EdgeFillCompleted. The edge serves
 * the files as soon as they are in place, a moment before it records the fill (`recentFills`), so
 * a test that reads the edge's stream or a view of it waits for both.
 */
export const filled = (edge: EdgeProcess, titleId: string, encodingId?: string, timeoutMs = 20_000) =>
  eventually(
    async () => {
      const status = await edgeStatus(edge);
      const isPackage = (entry: { titleId: string; encodingId: string }) =>
        entry.titleId === titleId && (encodingId === undefined || entry.encodingId === encodingId);
      return (status.held.some(isPackage) && status.recentFills.some(isPackage)) || undefined;
    },
    timeoutMs,
    `the edge to hold ${titleId}${encodingId ? `/${encodingId}` : ''} and record its fill`,
  );

export type RawAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** A request sent as written, through node:http: fetch would resolve `..` and `%2e%2e` before sending. */
export const rawGet = (port: number, path: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Promise<RawAnswer>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
