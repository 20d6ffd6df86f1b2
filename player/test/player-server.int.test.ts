/**
 * The player's server over real HTTP, against stub upstreams on loopback ports: the app and its
 * fallback, the API proxy (headers, errors, Location), a body that provably streams both ways,
 * a real tus upload (tus-js-client through the proxy to @tus/server) and posters.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContentClaims, createLogger, verifyContentToken } from '@marquee/platform';
import { FileStore } from '@tus/file-store';
import { Server as TusServer } from '@tus/server';
import { Upload } from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteLocation } from '../src/server/api-proxy';
import { createPlayerApp } from '../src/server/app';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const listen = (handler: Handler): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const close = (server: Server | undefined) =>
  new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });

const contentTokenSecret = 'a-test-secret-that-is-long-enough-to-sign';
let work: string;
let distDir: string;
let uploadDir: string;
/** What the stub command API does with a request; each test sets its own. */
let commandHandler: Handler = (_req, res) => res.writeHead(500).end();
let commandApi: Server;
let queryApi: Server;
let origin: Server;
let player: Server;
let playerUrl: string;
let tus: TusServer;
const posterTokens: ContentClaims[] = [];
const finishedUploads: { id: string; metadata: Record<string, string | null>; size: number | undefined }[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'player-server-'));
  distDir = join(work, 'dist');
  uploadDir = join(work, 'uploads');
  await mkdir(join(distDir, 'assets'), { recursive: true });
  await mkdir(uploadDir);
  await writeFile(join(distDir, 'index.html'), '<!doctype html><title>Marquee</title><div id="app"></div>');
  await writeFile(join(distDir, 'assets', 'index-abc123.js'), 'console.log("app")');

  tus = new TusServer({
    path: '/titles/uploads',
    datastore: new FileStore({ directory: uploadDir }),
    onUploadFinish: async (_req, upload) => {
      finishedUploads.push({ id: upload.id, metadata: upload.metadata ?? {}, size: upload.size });
      return {};
    },
  });
  commandApi = await listen((req, res) => {
    if (req.url?.startsWith('/titles/uploads')) void tus.handle(req, res);
    else commandHandler(req, res);
  });
  queryApi = await listen((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        url: req.url,
        method: req.method,
        host: req.headers.host,
        authorization: req.headers.authorization ?? null,
        forwardedFor: req.headers['x-forwarded-for'] ?? null,
      }),
    );
  });
  origin = await listen((req, res) => {
    // The path form only: /c/<token>/<titleId>/<encodingId>/<file>, and a token with no grant beyond the poster.
    const [, root, token = '', titleId = '', encodingId = '', file] = (req.url ?? '/').split('/');
    const check = verifyContentToken(contentTokenSecret, token, { titleId, encodingId });
    if (root !== 'c' || !check.ok) return void res.writeHead(403).end();
    posterTokens.push(check.claims);
    if (titleId === 'broken') {
      // Promises a kilobyte, sends four bytes, then hangs up.
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '1024' });
      res.write(Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
      setTimeout(() => res.socket?.destroy(), 50);
      return;
    }
    if (titleId !== 't1' || encodingId !== 'e1' || file !== 'poster.jpg') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  });
  const app = createPlayerApp({
    distDir,
    commandApiUrl: urlOf(commandApi),
    queryApiUrl: urlOf(queryApi),
    originUrl: urlOf(origin),
    contentTokenSecret: () => contentTokenSecret,
    logger: createLogger('player', 'silent'),
  });
  player = await listen(app);
  playerUrl = urlOf(player);
});

afterAll(async () => {
  await Promise.all([close(player), close(commandApi), close(queryApi), close(origin)]);
  await rm(work, { recursive: true, force: true });
});

describe('the app', () => {
  it('answers /healthz', async () => {
    const response = await fetch(`${playerUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('serves index.html for any of the app’s routes, never cached', async () => {
    for (const path of ['/', '/title/abc', '/watch/abc?x=1', '/studio']) {
      const response = await fetch(`${playerUrl}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<div id="app">');
    }
  });

  it('serves the built assets for good, and a missing one is a 404, not the page', async () => {
    const asset = await fetch(`${playerUrl}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log("app")');
    expect((await fetch(`${playerUrl}/assets/missing.js`)).status).toBe(404);
  });

  it('says how to build the app when it is not built', async () => {
    const app = createPlayerApp({
      distDir: join(work, 'nothing-here'),
      commandApiUrl: urlOf(commandApi),
      queryApiUrl: urlOf(queryApi),
      originUrl: urlOf(origin),
      contentTokenSecret: () => contentTokenSecret,
      logger: createLogger('player', 'silent'),
    });
    const unbuilt = await listen(app);
    try {
      const response = await fetch(`${urlOf(unbuilt)}/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build -w player');
    } finally {
      await close(unbuilt);
    }
  });
});

describe('the API proxy', () => {
  it('passes a query on with its path, query string and credentials, and says who the client is', async () => {
    const response = await fetch(`${playerUrl}/api/queries/catalog?q=dune&limit=5`, {
      headers: { authorization: 'Bearer abc' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      url: '/catalog?q=dune&limit=5',
      method: 'GET',
      host: new URL(urlOf(queryApi)).host,
      authorization: 'Bearer abc',
      forwardedFor: '127.0.0.1',
    });
  });

  it('adds the peer it saw to X-Forwarded-For, keeping what came before (the API trusts only its own entry)', async () => {
    const response = await fetch(`${playerUrl}/api/queries/catalog`, {
      headers: { 'x-forwarded-for': '192.0.2.1' },
    });
    expect(await response.json()).toMatchObject({ forwardedFor: '192.0.2.1,127.0.0.1' });
  });

  it('passes the API’s refusals through as they are', async () => {
    commandHandler = (_req, res) =>
      res
        .writeHead(409, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'StreamLimitReached', message: 'All in use.', details: null }));
    const response = await fetch(`${playerUrl}/api/commands/playback`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: 'StreamLimitReached' });
  });

  it('answers 502 in the APIs’ error format when the API is down', async () => {
    const down = await listen(() => {});
    const downUrl = urlOf(down);
    await close(down);
    const app = createPlayerApp({
      distDir,
      commandApiUrl: downUrl,
      queryApiUrl: downUrl,
      originUrl: downUrl,
      contentTokenSecret: () => contentTokenSecret,
      logger: createLogger('player', 'silent'),
    });
    const lonely = await listen(app);
    try {
      const response = await fetch(`${urlOf(lonely)}/api/queries/catalog`);
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({
        error: 'UpstreamUnavailable',
        message: 'The query API is not answering right now; try again in a moment.',
        details: null,
      });
    } finally {
      await close(lonely);
    }
  });

  it('points a Location back at itself', async () => {
    commandHandler = (_req, res) => res.writeHead(201, { location: `${urlOf(commandApi)}/things/abc?x=1` }).end();
    const response = await fetch(`${playerUrl}/api/commands/things`, { method: 'POST' });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/commands/things/abc?x=1');
  });

  it('streams a body both ways: the API sees the first bytes before the client has sent the rest', async () => {
    const firstChunk = randomBytes(256 * 1024);
    const secondChunk = randomBytes(256 * 1024);
    let signalFirstArrived: () => void = () => {};
    const firstArrived = new Promise<void>((resolve) => {
      signalFirstArrived = resolve;
    });
    commandHandler = (req, res) => {
      let received = 0;
      // The answer starts before the request is over, and carries on when it is.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('receiving\n');
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= firstChunk.length) signalFirstArrived();
      });
      req.on('end', () => res.end(`received ${received}\n`));
    };

    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const upload = request(`${playerUrl}/api/commands/titles/t1/source`, {
        method: 'PUT',
        headers: { 'content-type': 'video/mp4', 'transfer-encoding': 'chunked' },
      });
      upload.on('error', reject);
      upload.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      upload.write(firstChunk);
      // A proxy that buffered the body would never let the API see this before the end: the test would time out.
      firstArrived.then(() => upload.end(secondChunk), reject);
    });

    expect(status).toBe(200);
    expect(body).toBe(`receiving\nreceived ${firstChunk.length + secondChunk.length}\n`);
  });

  it('carries a resumable tus upload through to the command API, in pieces, at the player’s address', async () => {
    const file = randomBytes(3 * 1024 * 1024 + 123);
    const patchedAt: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const upload = new Upload(file, {
        endpoint: `${playerUrl}/api/commands/titles/uploads`,
        chunkSize: 1024 * 1024,
        metadata: { filename: 'clip.mp4', titleId: 'title-1' },
        headers: { 'X-Api-Key': 'content-key' },
        retryDelays: [],
        onBeforeRequest: (req) => {
          if (req.getMethod() === 'PATCH') patchedAt.push(req.getURL());
        },
        onSuccess: () => resolve(),
        onError: reject,
      });
      upload.start();
    });

    expect(patchedAt).toHaveLength(4);
    for (const url of patchedAt) expect(url).toMatch(new RegExp(`^${playerUrl}/api/commands/titles/uploads/[\\w-]+$`));
    const finished = finishedUploads.at(-1);
    expect(finished).toMatchObject({ metadata: { filename: 'clip.mp4', titleId: 'title-1' }, size: file.length });
    expect((await readFile(join(uploadDir, finished?.id ?? ''))).equals(file)).toBe(true);
  });
});

describe('rewriteLocation', () => {
  it('keeps a URL on another host, and maps the upstream’s own paths under the mount', () => {
    expect(rewriteLocation('http://127.0.0.1:4001/titles/uploads/1', 'http://127.0.0.1:4001', '/api/commands')).toBe(
      '/api/commands/titles/uploads/1',
    );
    expect(rewriteLocation('/titles/uploads/1', 'http://127.0.0.1:4001', '/api/commands')).toBe(
      '/api/commands/titles/uploads/1',
    );
    expect(rewriteLocation('http://api.example/v1/titles/1', 'http://api.example/v1', '/api/commands')).toBe(
      '/api/commands/titles/1',
    );
    expect(rewriteLocation('https://elsewhere.example/x', 'http://127.0.0.1:4001', '/api/commands')).toBe(
      'https://elsewhere.example/x',
    );
  });
});

describe('posters', () => {
  it('are fetched from the origin on the path form with a short token that grants nothing else, and kept for a day', async () => {
    posterTokens.length = 0;
    const response = await fetch(`${playerUrl}/posters/t1/e1/poster.jpg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    expect(posterTokens).toEqual([
      { sessionId: null, maxHeight: null, region: null, pathways: [], expiresAt: expect.any(Number) },
    ]);
    expect((posterTokens[0]?.expiresAt ?? 0) * 1000 - Date.now()).toBeLessThanOrEqual(120_000);
  });

  it('an origin that breaks off half-way cuts the answer short, and the server goes on serving', async () => {
    const response = await fetch(`${playerUrl}/posters/broken/e1/poster.jpg`);
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
    const next = await fetch(`${playerUrl}/posters/t1/e1/poster.jpg`);
    expect(next.status).toBe(200);
    expect((await next.arrayBuffer()).byteLength).toBe(4);
  });

  it('an origin that refuses is a 502, not its refusal passed on', async () => {
    const app = createPlayerApp({
      distDir,
      commandApiUrl: urlOf(commandApi),
      queryApiUrl: urlOf(queryApi),
      originUrl: urlOf(origin),
      contentTokenSecret: () => 'another-secret-the-origin-does-not-know',
      logger: createLogger('player', 'silent'),
    });
    const wrongSecret = await listen(app);
    try {
      expect((await fetch(`${urlOf(wrongSecret)}/posters/t1/e1/poster.jpg`)).status).toBe(502);
    } finally {
      await close(wrongSecret);
    }
  });

  it('a missing one is a 404, and a path that climbs is refused', async () => {
    expect((await fetch(`${playerUrl}/posters/t1/e2/poster.jpg`)).status).toBe(404);
    expect((await fetch(`${playerUrl}/posters/..%2F..%2Fetc/e1/poster.jpg`)).status).toBe(404);
  });
});
