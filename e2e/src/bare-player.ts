/// <reference lib="dom" />
/*
 * Players the project did not write, on a bare page: hls.js or dash.js as their packages ship
 * them, given one manifest URL and nothing else (no Marquee code, no token handling, no
 * manifest rewriting). The page is served here; the engines come from node_modules.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { readVideoElement } from './viewer';

export type BareEngine = 'hls.js' | 'dash.js';

const require = createRequire(import.meta.url);
const engineFiles: Record<BareEngine, string> = {
  'hls.js': require.resolve('hls.js/dist/hls.min.js'),
  // The package's "require" condition is its UMD build, which sets window.dashjs.
  'dash.js': require.resolve('dashjs'),
};

/*
 * Runs in the page. `window.startBarePlayer(engine, url, config)` starts playing (config: hls.js
 * settings, if any); `window.__bare` is what a test reads: the page clock at start, first frame
 * (requestVideoFrameCallback) and first `playing`, stalls after that, the engine's errors, and
 * the heights it was offered.
 */
const harness = `
const video = document.querySelector('video');
window.startBarePlayer = (engine, url, config) => {
  const state = { engine, startedAt: performance.now(), firstFrameAt: null, playingAt: null, rebuffers: 0,
    stalledSince: null, stalledMs: 0, errors: [], fatal: null, offeredHeights: [], timeline: [] };
  window.__bare = state;
  video.requestVideoFrameCallback(() => { state.firstFrameAt ??= performance.now(); });
  video.addEventListener('playing', () => {
    state.playingAt ??= performance.now();
    if (state.stalledSince !== null) state.stalledMs += performance.now() - state.stalledSince;
    state.stalledSince = null;
  });
  video.addEventListener('waiting', () => {
    if (state.playingAt === null || video.seeking || state.stalledSince !== null) return;
    state.rebuffers += 1;
    state.stalledSince = performance.now();
  });
  if (engine === 'hls.js') {
    const hls = new Hls(config || {});
    window.__hls = hls;
    hls.on(Hls.Events.ERROR, (_event, data) => {
      state.errors.push(data.type + '/' + data.details + (data.response ? ' ' + data.response.code : ''));
      if (data.fatal) state.fatal = data.details;
    });
    // When each step of the start first happened, to tell where a slow first frame went.
    for (const step of ['MANIFEST_LOADING', 'MANIFEST_PARSED', 'LEVEL_LOADED', 'FRAG_LOADING', 'FRAG_LOADED', 'FRAG_BUFFERED'])
      hls.once(Hls.Events[step], () => state.timeline.push([Math.round(performance.now() - state.startedAt), step]));
    hls.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
      state.offeredHeights = [...new Set(data.levels.map((level) => level.height))].sort((a, b) => a - b);
    });
    hls.loadSource(url);
    hls.attachMedia(video);
    // (autoplay on the element starts it)
  } else {
    const player = dashjs.MediaPlayer().create();
    window.__dash = player;
    player.on(dashjs.MediaPlayer.events.ERROR, (event) => {
      const error = event.error || {};
      // dash.js says nothing of fatal: a failed steering request is reported here too, and it plays on.
      state.errors.push('dash: ' + (error.code ?? '') + ' ' + (error.message ?? JSON.stringify(event)));
    });
    player.on(dashjs.MediaPlayer.events.STREAM_INITIALIZED, () => {
      const representations = player.getRepresentationsByType ? player.getRepresentationsByType('video') : [];
      state.offeredHeights = [...new Set(representations.map((r) => r.height))].sort((a, b) => a - b);
    });
    player.initialize(video, url, true);
  }
};
`;

const page = (engine: BareEngine) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${engine}</title></head>
<body style="margin:0;background:#000">
<video muted playsinline autoplay style="width:640px;height:360px"></video>
<script src="engine.js"></script>
<script>${harness}</script>
</body></html>`;

export type BarePlayerServer = { url: (engine: BareEngine) => string; close: () => Promise<void> };

/** Serves the bare page on a free loopback port: `/<engine>/` with that engine's script. */
export const serveBarePlayer = async (): Promise<BarePlayerServer> => {
  const scripts = new Map(
    (Object.keys(engineFiles) as BareEngine[]).map((engine) => [engine, readFileSync(engineFiles[engine])]),
  );
  const server = createServer((request, response) => {
    const [, engine, file] = /^\/(hls\.js|dash\.js)\/(engine\.js)?$/.exec(request.url ?? '') ?? [];
    const script = scripts.get(engine as BareEngine);
    if (!script) {
      response.writeHead(404).end();
      return;
    }
    if (file) response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else response.writeHead(200, { 'content-type': 'text/html' }).end(page(engine as BareEngine));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (engine) => `http://127.0.0.1:${port}/${engine}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};

export type BarePlayerState = {
  engine: BareEngine;
  startedAt: number;
  firstFrameAt: number | null;
  playingAt: number | null;
  rebuffers: number;
  stalledMs: number;
  errors: string[];
  /** hls.js's fatal error (dash.js has no such flag: it is told by playback not moving). */
  fatal: string | null;
  /** The video heights the engine found in the manifest or master playlist. */
  offeredHeights: number[];
  /** hls.js: when each step of the start first happened (ms after start). */
  timeline: [number, string][];
};

export type BarePlayerFacts = BarePlayerState & {
  currentTime: number;
  paused: boolean;
  videoHeight: number;
  totalVideoFrames: number;
  droppedVideoFrames: number;
  bufferedUntil: number;
};

/**
 * Opens the bare page for an engine in a fresh context and starts it on `manifestUrl`, with the
 * engine's defaults unless `hlsConfig` is given (hls.js's own settings, e.g. `{ enableWorker: false }`).
 */
export const startBarePlayer = async (
  browser: Browser,
  server: BarePlayerServer,
  engine: BareEngine,
  manifestUrl: string,
  options: { hlsConfig?: Record<string, unknown> } = {},
): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width: 800, height: 450 } });
  const bare = await context.newPage();
  await bare.goto(server.url(engine));
  await bare.evaluate(
    ([name, url, config]) =>
      (window as unknown as { startBarePlayer: (e: string, u: string, c: unknown) => void }).startBarePlayer(
        name,
        url,
        config,
      ),
    [engine, manifestUrl, options.hlsConfig ?? null] as const,
  );
  return bare;
};

export const barePlayerFacts = async (bare: Page): Promise<BarePlayerFacts> => {
  const state = await bare.evaluate(() => (window as unknown as { __bare: BarePlayerState }).__bare);
  const { currentTime, paused, videoHeight, totalVideoFrames, droppedVideoFrames, bufferedUntil } = await bare
    .locator('video')
    .evaluate(readVideoElement);
  return { ...state, currentTime, paused, videoHeight, totalVideoFrames, droppedVideoFrames, bufferedUntil };
};

/** Waits until the bare player's clock passes `seconds`; fails early on a fatal engine error. */
export const waitForBarePlayback = async (bare: Page, seconds: number, timeoutMs: number) => {
  try {
    await bare.waitForFunction(
      (past) => {
        const state = (window as unknown as { __bare?: { fatal: string | null } }).__bare;
        if (state?.fatal) return true;
        const video = document.querySelector('video');
        return video !== null && !video.paused && video.currentTime > past;
      },
      seconds,
      { timeout: timeoutMs, polling: 100 },
    );
  } catch (error) {
    const facts = await barePlayerFacts(bare).catch(() => null);
    throw new Error(
      `the bare player did not play past ${seconds} s within ${timeoutMs} ms: ${error instanceof Error ? error.message : error}\n` +
        `state: ${JSON.stringify(facts)}`,
    );
  }
  const facts = await barePlayerFacts(bare);
  if (facts.fatal) throw new Error(`the bare ${facts.engine} player failed: ${facts.errors.join('; ')}`);
  return facts;
};
