/*
 * hls.js and dash.js, as their packages ship them, on a bare page in headless Chromium: each is
 * given one URL from POST /playback and nothing else (no Marquee code). The picture moves,
 * frames are decoded, the rungs offered are the plan's, every segment answer is a success, and
 * the engine asked the steering server where to fetch from.
 */
import { launchChromium } from '@marquee/platform/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiViewer,
  type BareEngine,
  type BarePlayerServer,
  type PathwayWatch,
  type Plan,
  pathwayDirectory,
  planMaxHeight,
  serveBarePlayer,
  signUpThroughApi,
  startBarePlayer,
  startPlaybackThroughApi,
  stopPlaybackThroughApi,
  waitForBarePlayback,
  watchPathways,
} from '../src/index';
import { platformUnderTest, titleLadders } from './platform-under-test';

const platform = platformUnderTest();

let browser: Browser;
let server: BarePlayerServer;
let directory: Map<string, string>;
/** The tallest title, so each plan's cap shows in what the engine is offered. */
let title: { titleId: string; ladder: number[] };
const viewers = new Map<Plan, ApiViewer>();
let open: { page: Page; watch: PathwayWatch; viewer: ApiViewer; sessionId: string } | undefined;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), serveBarePlayer()]);
  directory = await pathwayDirectory([...platform.edgeUrls, platform.originUrl]);
  const ladders = [...(await titleLadders(platform))].toSorted(([, a], [, b]) => Math.max(0, ...b) - Math.max(0, ...a));
  const [titleId, ladder] = ladders[0] as [string, number[]];
  title = { titleId, ladder };
  for (const plan of ['basic', 'standard'] as const)
    viewers.set(plan, await signUpThroughApi(platform.commandApiUrl, plan));
});

afterEach(async () => {
  if (!open) return;
  open.watch.stop();
  await open.page.context().close();
  await stopPlaybackThroughApi(open.viewer, open.sessionId).catch(() => {});
  open = undefined;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const playsOnABarePage = (engine: BareEngine, format: 'dash' | 'hls', plan: Plan) =>
  it(`${engine} plays the ${format === 'dash' ? 'DASH manifest' : 'HLS master'} of a ${plan}-plan session from an edge`, async () => {
    const viewer = viewers.get(plan) as ApiViewer;
    const session = await startPlaybackThroughApi(viewer, title.titleId);
    const place = session.manifests[0];
    expect(place?.edgeId).toBeTruthy();
    const page = await startBarePlayer(browser, server, engine, place?.[format] as string);
    const watch = watchPathways(page, directory);
    open = { page, watch, viewer, sessionId: session.sessionId };

    const first = await waitForBarePlayback(page, 1, 30_000);
    const later = await waitForBarePlayback(page, first.currentTime + 3, 15_000);
    console.log(
      `${engine} (${plan}): first frame ${Math.round((first.firstFrameAt ?? 0) - first.startedAt)} ms after start, ` +
        `${later.totalVideoFrames} frames by ${later.currentTime.toFixed(1)} s at ${later.videoHeight}p, ` +
        `offered ${later.offeredHeights.join('/')}p, segments from ${[...new Set(watch.media.map((m) => m.pathway))]}, ` +
        `${watch.steering.length} steering answer(s), errors: ${later.errors.join('; ') || 'none'}`,
    );
    // Time advances and frames are decoded.
    expect(later.currentTime).toBeGreaterThan(first.currentTime + 2.5);
    expect(later.totalVideoFrames).toBeGreaterThan(first.totalVideoFrames);
    expect(first.totalVideoFrames).toBeGreaterThan(0);
    // Only the plan's rungs are offered, and the picture is never above them.
    const allowed = title.ladder.filter((height) => height <= planMaxHeight[plan]);
    expect(later.offeredHeights).toEqual(allowed);
    expect(later.videoHeight).toBeLessThanOrEqual(planMaxHeight[plan]);
    // Every segment was served (the token in the path carried to every relative URL), from the steered edge.
    expect(watch.media.filter((answer) => answer.status >= 400)).toEqual([]);
    expect(watch.media.length).toBeGreaterThan(0);
    expect(watch.serving()).toBe(place?.edgeId);
    // The engine followed the content steering the server wrote into what it was given.
    expect(watch.steering.length).toBeGreaterThan(0);
    expect(watch.steering[0]?.priority.at(-1)).toBe('origin');
    expect(later.errors.filter((error) => /network|dash:/i.test(error))).toEqual([]);
  });

describe('players the project did not write, on a bare page', () => {
  playsOnABarePage('hls.js', 'hls', 'basic');
  playsOnABarePage('dash.js', 'dash', 'standard');
});
