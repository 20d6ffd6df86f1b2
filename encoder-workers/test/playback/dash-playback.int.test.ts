/**
 * The DASH package plays in a real browser: headless Chromium (the system one, never a
 * downloaded build) runs dash.js over a package served from a local origin.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LadderRung } from '@marquee/domain';
import { type Browser, launchChromium, makeClip } from '@marquee/platform/testing';
import { errors } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePackage } from '../../src/encoding/encode-package';

const playerPage = fileURLToPath(new URL('dash-player.html', import.meta.url));
// The package's "require" export is the browser (UMD) build that defines window.dashjs.
const dashjsScript = createRequire(import.meta.url).resolve('dashjs');

const playSeconds = 2;
const playTimeoutMs = 30_000;

const contentTypes: Partial<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mpd': 'application/dash+xml',
  '.m4s': 'video/iso.segment',
  '.json': 'application/json',
  '.jpg': 'image/jpeg',
};

/** Serves the player page at /, dash.js at /dashjs/dash.all.min.js and the origin under /origin/. */
const serve = (originDir: string): Promise<Server> =>
  new Promise((resolveServer, reject) => {
    const server = createServer(async (request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      let file: string | undefined;
      if (path === '/') file = playerPage;
      else if (path === '/dashjs/dash.all.min.js') file = dashjsScript;
      else if (path.startsWith('/origin/')) {
        const candidate = resolve(originDir, `.${path.slice('/origin'.length)}`);
        if (!relative(originDir, candidate).startsWith(`..${sep}`)) file = candidate;
      }
      const body = file === undefined ? undefined : await readFile(file).catch(() => undefined);
      if (file === undefined || body === undefined) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' }).end(body);
    });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveServer(server));
  });

/** What the page's window.playbackState() returns. */
type Representation = { width: number; height: number; bitrateKbps: number };
type PlaybackState = {
  currentTime: number;
  videoWidth: number;
  videoHeight: number;
  decodedFrames: number;
  /** Every video rung dash.js found in the manifest. */
  videoRepresentations: Representation[];
  /** The rungs its ABR may choose under the page's cap. */
  allowedVideoRepresentations: Representation[];
  errors: string[];
};
type PlayerWindow = { playbackState?: () => PlaybackState };

let work: string;
let server: Server;
let browser: Browser;
let manifestUrl: string;
let ladder: LadderRung[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dash-playback-'));
  const source = join(work, 'source.mp4');
  const launching = launchChromium();
  await makeClip(source, { seconds: 8, size: '640x360' });
  const originDir = join(work, 'origin');
  const encoded = await encodePackage({ sourcePath: source, originDir, titleId: 'title-1', encodingId: 'enc-1' });
  ladder = encoded.ladder;
  server = await serve(originDir);
  manifestUrl = `/origin/${encoded.manifestPath}`;
  browser = await launching;
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  await rm(work, { recursive: true, force: true });
});

/** Opens the player page and waits until playback passes playSeconds or dash.js reports an error. */
const play = async (options: { maxVideoKbps?: number } = {}): Promise<PlaybackState> => {
  const { port } = server.address() as AddressInfo;
  const query = new URLSearchParams({ manifest: manifestUrl });
  if (options.maxVideoKbps !== undefined) query.set('maxVideoKbps', String(options.maxVideoKbps));
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  const state = () =>
    page.evaluate(() => (globalThis as unknown as PlayerWindow).playbackState?.() as PlaybackState | undefined);
  try {
    await page.goto(`http://127.0.0.1:${port}/?${query}`);
    await page.waitForFunction(
      (seconds) => {
        const current = (globalThis as unknown as PlayerWindow).playbackState?.();
        return current !== undefined && (current.currentTime > seconds || current.errors.length > 0);
      },
      playSeconds,
      { timeout: playTimeoutMs, polling: 100 },
    );
    const played = await state();
    if (played === undefined) throw new Error('the player page did not set up window.playbackState');
    return played;
  } catch (error) {
    if (!(error instanceof errors.TimeoutError)) throw error;
    const stuck = await state().catch(() => undefined);
    throw new Error(
      `playback did not pass ${playSeconds} s within ${playTimeoutMs / 1000} s ` +
        `(at ${stuck?.currentTime ?? '?'} s, ${stuck?.decodedFrames ?? '?'} frames decoded); ` +
        `dash.js errors: ${JSON.stringify(stuck?.errors ?? [])}; page errors: ${JSON.stringify(pageErrors)}`,
    );
  } finally {
    await page.close();
  }
};

describe('DASH package playback in Chromium with dash.js', () => {
  it('plays: frames decoded, no dash.js error, one bitrate per rung of the ladder', async () => {
    const played = await play();

    expect(played.errors).toEqual([]);
    expect(played.currentTime).toBeGreaterThan(playSeconds);
    expect(played.decodedFrames).toBeGreaterThan(0);
    const rungs = ladder.map(({ width, height, videoBitrateKbps }) => ({
      width,
      height,
      bitrateKbps: videoBitrateKbps,
    }));
    expect(rungs.length).toBeGreaterThan(1);
    expect(played.videoRepresentations).toEqual(rungs);
    expect(played.allowedVideoRepresentations).toEqual(rungs);
    expect(rungs.map((rung) => rung.height)).toContain(played.videoHeight);
  });

  it('stays at 240p when the player caps video at the 240p rung’s bitrate', async () => {
    const rung240 = ladder.find((rung) => rung.height === 240);
    if (rung240 === undefined) throw new Error(`the ladder has no 240p rung: ${JSON.stringify(ladder)}`);

    const played = await play({ maxVideoKbps: rung240.videoBitrateKbps });

    expect(played.errors).toEqual([]);
    expect(played.decodedFrames).toBeGreaterThan(0);
    expect(played.allowedVideoRepresentations.map((rep) => rep.height)).toEqual([240]);
    expect(played.videoHeight).toBeGreaterThan(0);
    expect(played.videoHeight).toBeLessThanOrEqual(240);
  });
});
