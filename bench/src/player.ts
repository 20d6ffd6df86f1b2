/// <reference lib="dom" />
// bench/player: what a viewer waits for, in headless Chromium on loopback against the whole
// platform started as `npm start` starts it (the e2e package's helper): the time from pressing
// play to the first frame on screen over 20 plays in Marquee's player (dash.js), the same for
// hls.js and dash.js as they ship, on a bare page given the URL POST /playback answers, the
// stalls over a minute of playing, and how long content steering takes to move a session off an
// edge that is killed under it. There is no baseline to run beside it; the targets are absolute
// (first frame < 500 ms for DASH and for HLS, no stall).
// (The functions given to page.evaluate run in the browser, hence the DOM types above.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ApiViewer,
  type BareEngine,
  type BarePlayerServer,
  barePlayerFacts,
  type CatalogEntry,
  type Platform,
  pathwayDirectory,
  pathwayMove,
  pidListeningOn,
  serveBarePlayer,
  signUp,
  signUpThroughApi,
  startBarePlayer,
  startPlatform,
  startPlaybackThroughApi,
  stopPlaybackThroughApi,
  videoFacts,
  viewerCatalog,
  waitForPlaybackPast,
  watchPathways,
  watchSnapshot,
} from '@marquee/e2e';
import { type Browser, launchChromium, type Page } from '@marquee/platform/testing';
import { type BenchmarkResult, result } from './report';

const plays = 20;
const playSeconds = 60;
const firstFrameTargetMs = 500;
/** How long a session may play on after its edge is killed, waiting for steering to move it. */
const steeringWaitMs = 30_000;
const rebufferTarget = 0;

type PageClock = {
  pressedAt: number | null;
  firstFrameAt: number | null;
  playingAt: number | null;
  /** Stalls after the first frame: `waiting` while not seeking, until `playing` again. */
  rebuffers: number;
  stalledMs: number;
  stalledSince: number | null;
};

/*
 * In the page, on the title page before the click: the moment play is pressed (capture phase,
 * before the app sees the click), the first frame the video element presents
 * (requestVideoFrameCallback) and its first `playing`, all on the page's own clock; and from
 * then on every stall. The watch page's video comes after the click, so the media events are
 * caught on their way down through the document (capture), where they pass even without
 * bubbling. (No named functions in here: tsx would wrap them in a helper the page lacks.)
 */
const armPageClock = (page: Page) =>
  page.evaluate(() => {
    const clock: PageClock = {
      pressedAt: null,
      firstFrameAt: null,
      playingAt: null,
      rebuffers: 0,
      stalledMs: 0,
      stalledSince: null,
    };
    let watchingFrames = false;
    (window as unknown as { __benchClock: PageClock }).__benchClock = clock;
    document.addEventListener(
      'click',
      (event) => {
        if ((event.target as Element).closest('[data-testid="play-button"]')) clock.pressedAt ??= performance.now();
      },
      { capture: true },
    );
    document.addEventListener(
      'loadstart',
      (event) => {
        if (watchingFrames || !(event.target instanceof HTMLVideoElement)) return;
        watchingFrames = true;
        event.target.requestVideoFrameCallback(() => {
          clock.firstFrameAt ??= performance.now();
        });
      },
      { capture: true },
    );
    document.addEventListener(
      'playing',
      () => {
        clock.playingAt ??= performance.now();
        if (clock.stalledSince !== null) clock.stalledMs += performance.now() - clock.stalledSince;
        clock.stalledSince = null;
      },
      { capture: true },
    );
    document.addEventListener(
      'waiting',
      (event) => {
        const video = event.target as HTMLVideoElement;
        if (clock.playingAt === null || video.seeking || clock.stalledSince !== null) return;
        clock.rebuffers += 1;
        clock.stalledSince = performance.now();
      },
      { capture: true },
    );
  });

const readPageClock = (page: Page) =>
  page.evaluate(() => (window as unknown as { __benchClock: PageClock }).__benchClock);

const percentile = (values: number[], p: number) => {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

/** Opens the title's page in a fresh context (a cold cache, as a viewer's first play), arms the clock, presses play. */
const pressPlay = async (browser: Browser, storageState: string, playerUrl: string, title: CatalogEntry) => {
  const context = await browser.newContext({
    storageState: JSON.parse(storageState),
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  await page.goto(`${playerUrl}/title/${title.titleId}`);
  await page.getByTestId('play-button').waitFor();
  await armPageClock(page);
  await page.getByTestId('play-button').click();
  return { context, page };
};

/** One play: pressed → first frame, then stopped so the plan's stream slot is free again. */
const timeFirstFrame = async (browser: Browser, storageState: string, playerUrl: string, title: CatalogEntry) => {
  const { context, page } = await pressPlay(browser, storageState, playerUrl, title);
  try {
    await page.waitForFunction(
      () => {
        const clock = (window as unknown as { __benchClock?: PageClock }).__benchClock;
        return clock !== undefined && clock.firstFrameAt !== null && clock.playingAt !== null;
      },
      undefined,
      { timeout: 15_000, polling: 50 },
    );
    const clock = await readPageClock(page);
    const state = await watchSnapshot(page);
    await page.getByTestId('stop-button').click();
    await page.getByTestId('playback-stopped').waitFor();
    const pressedAt = clock.pressedAt as number;
    return {
      firstFrameMs: (clock.firstFrameAt as number) - pressedAt,
      playingMs: (clock.playingAt as number) - pressedAt,
      resumedFrom: state.resumeFromSeconds,
      servedBy: state.servingLocation ?? 'none',
    };
  } finally {
    await context.close();
  }
};

/*
 * One play of a bare engine: a session through the API, a fresh context, the manifest URL handed
 * to the engine; from that moment to the first frame it presents (requestVideoFrameCallback).
 */
const timeBareFirstFrame = async (
  browser: Browser,
  server: BarePlayerServer,
  viewer: ApiViewer,
  engine: BareEngine,
  title: CatalogEntry,
  hlsConfig?: Record<string, unknown>,
) => {
  const session = await startPlaybackThroughApi(viewer, title.titleId);
  const place = session.manifests[0];
  const url = (engine === 'hls.js' ? place?.hls : place?.dash) as string;
  const page = await startBarePlayer(browser, server, engine, url, hlsConfig ? { hlsConfig } : {});
  try {
    await page.waitForFunction(
      () => {
        const state = (window as unknown as { __bare?: { firstFrameAt: number | null; fatal: string | null } }).__bare;
        return state !== undefined && (state.firstFrameAt !== null || state.fatal !== null);
      },
      undefined,
      { timeout: 15_000, polling: 50 },
    );
    const facts = await barePlayerFacts(page);
    if (facts.firstFrameAt === null) throw new Error(`${engine} failed: ${facts.errors.join('; ')}`);
    return { firstFrameMs: facts.firstFrameAt - facts.startedAt, timeline: facts.timeline };
  } finally {
    await page.context().close();
    await stopPlaybackThroughApi(viewer, session.sessionId);
  }
};

/*
 * A session in Marquee's player on the longest title: after a few seconds of playing, the edge
 * serving it is killed (SIGKILL). How long until a steering answer leaves it out, until a segment
 * comes from elsewhere, and whether the picture stalled on the way.
 */
const timeSteeringMove = async (browser: Browser, platform: Platform, title: CatalogEntry) => {
  const viewer = await signedUpViewer(browser, platform);
  const directory = await pathwayDirectory([...platform.edgeUrls, platform.originUrl]);
  const { context, page } = await pressPlay(browser, viewer.storageState, platform.playerUrl, title);
  const watch = watchPathways(page, directory);
  try {
    await waitForPlaybackPast(page, 5, 30_000);
    const dead = watch.serving();
    if (!dead || dead === 'origin') throw new Error(`the session is served by ${dead}, not by an edge`);
    const port = Number(new URL([...directory].find(([, pathway]) => pathway === dead)?.[0] as string).port);
    const atKill = await readPageClock(page);
    process.kill(await pidListeningOn(port), 'SIGKILL');
    const killedAt = Date.now();
    console.log(`  killed ${dead} (port ${port}) under a session; waiting for steering to move it`);
    const deadline = killedAt + steeringWaitMs;
    let move = pathwayMove(watch, dead, killedAt);
    while ((move.steeredAfterMs === null || move.servedAfterMs === null) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      move = pathwayMove(watch, dead, killedAt);
    }
    // Played on past the move for a few seconds more, to see a stall if there is one.
    const facts = await videoFacts(page);
    await waitForPlaybackPast(page, facts.currentTime + 3, 15_000);
    const clock = await readPageClock(page);
    return { dead, ...move, rebuffersAfterKill: clock.rebuffers - atKill.rebuffers };
  } finally {
    watch.stop();
    await context.close();
  }
};

const signedUpViewer = async (browser: Browser, platform: Platform) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, platform.playerUrl, 'standard');
  const catalog = await viewerCatalog(page, platform.playerUrl);
  const storageState = JSON.stringify(await context.storageState());
  await context.close();
  return { catalog, storageState };
};

export const playerBenchmark = async (): Promise<BenchmarkResult> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'marquee-bench-player-'));
  const platform = await startPlatform({ dataDir, log: (line) => console.log(`  ${line}`) });
  let browser: Browser | undefined;
  try {
    const demo = await platform.demoTitles(5 * 60_000);
    console.log(`  platform up, demo titles ready: ${demo.join(', ')}`);
    browser = await launchChromium();

    // 1. Pressing play, 20 times, round the catalog, each in a fresh browser context.
    const viewer = await signedUpViewer(browser, platform);
    // Films: a series' card opens its page of episodes.
    const titles = viewer.catalog.filter((t) => t.kind === 'film').toSorted((a, b) => a.name.localeCompare(b.name));
    if (titles.length === 0) throw new Error('the catalog is empty: nothing to play');
    const timings: Awaited<ReturnType<typeof timeFirstFrame>>[] = [];
    for (let n = 0; n < plays; n++) {
      const title = titles[n % titles.length] as CatalogEntry;
      timings.push(await timeFirstFrame(browser, viewer.storageState, platform.playerUrl, title));
    }
    const firstFrames = timings.map((t) => t.firstFrameMs);
    const firstFrameP50Ms = Math.round(percentile(firstFrames, 50));
    const firstFrameP90Ms = Math.round(percentile(firstFrames, 90));
    console.log(
      `  first frame over ${plays} plays: p50 ${firstFrameP50Ms} ms, p90 ${firstFrameP90Ms} ms ` +
        `(min ${Math.round(Math.min(...firstFrames))}, max ${Math.round(Math.max(...firstFrames))}; target < ${firstFrameTargetMs} ms)`,
    );

    // 2. The same for hls.js and dash.js as they ship, on a bare page: URL handed over → first frame.
    const server = await serveBarePlayer();
    const apiViewer = await signUpThroughApi(platform.commandApiUrl, 'standard');
    /*
     * hls.js as it ships parses segments in a Web Worker, whose start costs a cold page a few
     * hundred milliseconds before the first segment is appended; it is also timed without one.
     */
    const engines = [
      { name: 'hls.js', engine: 'hls.js' },
      { name: 'hls.js (no worker)', engine: 'hls.js', hlsConfig: { enableWorker: false } },
      { name: 'dash.js', engine: 'dash.js' },
    ] as const;
    const bare = new Map<string, number[]>(engines.map(({ name }) => [name, []]));
    let slowestHls: { firstFrameMs: number; timeline: [number, string][] } | undefined;
    try {
      for (let n = 0; n < plays; n++)
        for (const { name, engine, ...rest } of engines) {
          const title = titles[n % titles.length] as CatalogEntry;
          const hlsConfig = 'hlsConfig' in rest ? rest.hlsConfig : undefined;
          const timing = await timeBareFirstFrame(browser, server, apiViewer, engine, title, hlsConfig);
          bare.get(name)?.push(timing.firstFrameMs);
          if (name === 'hls.js' && timing.firstFrameMs > (slowestHls?.firstFrameMs ?? -1)) slowestHls = timing;
        }
    } finally {
      await server.close();
    }
    const p50Of = (name: string) => Math.round(percentile(bare.get(name) ?? [], 50));
    const hlsFirstFrameP50Ms = p50Of('hls.js');
    const hlsNoWorkerFirstFrameP50Ms = p50Of('hls.js (no worker)');
    const dashBareFirstFrameP50Ms = p50Of('dash.js');
    console.log(
      `  bare pages over ${plays} plays each, first frame p50: hls.js ${hlsFirstFrameP50Ms} ms ` +
        `(p90 ${Math.round(percentile(bare.get('hls.js') ?? [], 90))} ms), hls.js without its worker ${hlsNoWorkerFirstFrameP50Ms} ms, ` +
        `dash.js ${dashBareFirstFrameP50Ms} ms (target < ${firstFrameTargetMs} ms); ` +
        `the slowest hls.js start: ${JSON.stringify(slowestHls?.timeline)}`,
    );

    // 3. A minute of the longest title, from its start (a new viewer has no place to resume).
    const longest = viewer.catalog.toSorted((a, b) => (b.durationSeconds ?? 0) - (a.durationSeconds ?? 0))[0];
    if (!longest || (longest.durationSeconds ?? 0) < playSeconds + 5)
      throw new Error(
        `the longest title ("${longest?.name}", ${longest?.durationSeconds} s) is shorter than the ${playSeconds + 5} s this needs`,
      );
    const watcher = await signedUpViewer(browser, platform);
    const { context, page } = await pressPlay(browser, watcher.storageState, platform.playerUrl, longest);
    const played = await waitForPlaybackPast(page, playSeconds, (playSeconds + 30) * 1000);
    const clock = await readPageClock(page);
    const state = await watchSnapshot(page);
    await page.getByTestId('stop-button').click();
    await page.getByTestId('playback-stopped').waitFor();
    await context.close();
    const rebuffers = clock.rebuffers;
    console.log(
      `  ${playSeconds} s of "${longest.name}": ${rebuffers} rebuffer(s), ${Math.round(clock.stalledMs)} ms stalled ` +
        `(the player's own QoE: ${state.qoe.rebufferCount}); ${played.droppedVideoFrames} of ${played.totalVideoFrames} frames dropped`,
    );

    // 4. Kill the edge under a session (last: the platform is one edge short after it).
    const steering = await timeSteeringMove(browser, platform, longest);
    console.log(
      `  steering moved the session off ${steering.dead} ${steering.steeredAfterMs} ms after the kill; ` +
        `segments came from ${steering.servedBy} after ${steering.servedAfterMs} ms ` +
        `(${steering.failedRequests} failed request(s) first), ${steering.rebuffersAfterKill} rebuffer(s)`,
    );

    const figures = {
      plays,
      firstFrameP50Ms,
      firstFrameP90Ms,
      firstFrameMinMs: Math.round(Math.min(...firstFrames)),
      firstFrameMaxMs: Math.round(Math.max(...firstFrames)),
      firstFrameTargetMs,
      firstFrameTargetMet: firstFrameP50Ms < firstFrameTargetMs ? 'yes' : 'no',
      hlsFirstFrameP50Ms,
      hlsFirstFrameP90Ms: Math.round(percentile(bare.get('hls.js') ?? [], 90)),
      hlsNoWorkerFirstFrameP50Ms,
      hlsFirstFrameTargetMet: hlsFirstFrameP50Ms < firstFrameTargetMs ? 'yes' : 'no',
      dashBareFirstFrameP50Ms,
      steeringMoveMs: steering.steeredAfterMs ?? 'none',
      steeringServedByOtherMs: steering.servedAfterMs ?? 'none',
      steeringMovedTo: steering.servedBy ?? 'none',
      steeringFailedRequests: steering.failedRequests,
      steeringRebuffers: steering.rebuffersAfterKill,
      playingEventP50Ms: Math.round(
        percentile(
          timings.map((t) => t.playingMs),
          50,
        ),
      ),
      playsResumedMidway: timings.filter((t) => t.resumedFrom > 0).length,
      servedBy: [...new Set(timings.map((t) => t.servedBy))].join(', '),
      rebufferTitle: longest.name,
      rebufferPlayedSeconds: Math.round(played.currentTime * 10) / 10,
      rebuffers,
      rebufferMs: Math.round(clock.stalledMs),
      rebuffersReportedByPlayer: state.qoe.rebufferCount,
      rebufferTarget,
      rebufferTargetMet: rebuffers <= rebufferTarget ? 'yes' : 'no',
      droppedFrames: played.droppedVideoFrames,
      totalFrames: played.totalVideoFrames,
    };
    // No baseline runs beside it, so there is no ratio to report: result() would say 0 for a
    // benchmark without comparisons, which reads as a failure. NaN is written as null.
    return { ...result('player', [], figures), ratio: Number.NaN, target: null };
  } finally {
    await browser?.close();
    const stopped = await platform.stop();
    if (stopped.busyPorts.length > 0)
      console.error(`  ports still in use after stopping: ${stopped.busyPorts.join(', ')}`);
    rmSync(dataDir, { recursive: true, force: true });
  }
};
