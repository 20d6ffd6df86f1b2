/// <reference lib="dom" />
// bench/player: what a viewer waits for, in headless Chromium on loopback against the whole
// platform started as `npm start` starts it (the e2e package's helper): the time from pressing
// play to the first frame on screen over 20 plays, and the stalls over a minute of playing.
// There is no baseline to run beside it; the targets are absolute (first frame < 1 s, no stall).
// (The functions given to page.evaluate run in the browser, hence the DOM types above.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CatalogEntry,
  type Platform,
  signUp,
  startPlatform,
  viewerCatalog,
  waitForPlaybackPast,
  watchSnapshot,
} from '@marquee/e2e';
import { type Browser, launchChromium, type Page } from '@marquee/platform/testing';
import { type BenchmarkResult, result } from './report';

const plays = 20;
const playSeconds = 60;
const firstFrameTargetMs = 1000;
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
    const titles = viewer.catalog.toSorted((a, b) => a.name.localeCompare(b.name));
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

    // 2. A minute of the longest title, from its start (a new viewer has no place to resume).
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

    const figures = {
      plays,
      firstFrameP50Ms,
      firstFrameP90Ms,
      firstFrameMinMs: Math.round(Math.min(...firstFrames)),
      firstFrameMaxMs: Math.round(Math.max(...firstFrames)),
      firstFrameTargetMs,
      firstFrameTargetMet: firstFrameP50Ms < firstFrameTargetMs ? 'yes' : 'no',
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
