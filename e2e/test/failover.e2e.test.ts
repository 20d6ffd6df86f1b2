/*
 * An edge dies under a viewer: the edge serving their video is killed (SIGKILL) mid-play. The
 * picture must keep moving, the next segments must come from another place, and the rest of the
 * platform must carry on without that edge.
 */

import { launchChromium } from '@marquee/platform/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isListening,
  pidListeningOn,
  platformPorts,
  signUp,
  videoFacts,
  viewerCatalog,
  type WatchSnapshot,
  waitForPlaybackPast,
  watchSnapshot,
} from '../src/index';
import { eventually, platformUnderTest, saveScreenshot } from './platform-under-test';

const platform = platformUnderTest();

let browser: Browser;
let page: Page;
let killed: { location: string; port: number; pid: number };

beforeAll(async () => {
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
});

describe('an edge dying mid-play', () => {
  it('does not stop the picture: the video is fetched from the next place', async () => {
    await signUp(page, platform.playerUrl, 'standard');
    const longest = (await viewerCatalog(page, platform.playerUrl)).toSorted(
      (a, b) => (b.durationSeconds ?? 0) - (a.durationSeconds ?? 0),
    )[0];
    // Long enough to play through what was buffered before the kill and well past it.
    expect(longest?.durationSeconds ?? 0).toBeGreaterThanOrEqual(45);
    await page.goto(`${platform.playerUrl}/title/${longest?.titleId}`);
    await page.getByTestId('play-button').click();
    await waitForPlaybackPast(page, 3, 30_000);

    const before: WatchSnapshot = await watchSnapshot(page);
    // Steering put an edge first, and that edge is the one sending the video.
    expect(before.locations[0]?.edgeId).toBeTruthy();
    expect(before.servingLocation).toBe(before.locations[0]?.serviceLocation);
    const serving = before.locations.find((place) => place.serviceLocation === before.servingLocation);
    const port = Number(new URL(serving?.baseUrl as string).port);
    killed = { location: before.servingLocation as string, port, pid: await pidListeningOn(port) };

    const atKill = await videoFacts(page);
    process.kill(killed.pid, 'SIGKILL');
    const killedAt = Date.now();
    console.log(
      `killed ${killed.location} (pid ${killed.pid}, port ${port}) at ${atKill.currentTime.toFixed(2)} s, ` +
        `buffered until ${atKill.bufferedUntil.toFixed(2)} s`,
    );

    // Within 3 s the picture is still moving.
    const moving = await waitForPlaybackPast(page, atKill.currentTime + 1, 3_000);
    expect(moving.currentTime).toBeGreaterThan(atKill.currentTime);

    // The next segments come from another place that holds the title.
    let lastSeen: WatchSnapshot | undefined;
    const after = await eventually(
      'segments from another place',
      async () => {
        const state = await watchSnapshot(page);
        lastSeen = state;
        if (state.problem) throw new Error(`playback failed: ${JSON.stringify(state.problem)}`);
        return state.servingLocation !== killed.location && state.servingLocation !== null ? state : undefined;
      },
      15_000,
    ).catch(async (error: Error) => {
      const { phase, servingLocation, failedLocations, failovers, playerErrors, problem } = lastSeen ?? {};
      const seen = {
        phase,
        servingLocation,
        failedLocations,
        failovers,
        playerErrors: playerErrors?.slice(-3),
        problem,
      };
      throw new Error(`${error.message}\nthe player showed: ${JSON.stringify(seen, null, 2)}`);
    });
    console.log(
      `now served by ${after.servingLocation} (${after.failovers} failover(s), last took ${after.lastFailoverMs} ms, ` +
        `${Math.round((Date.now() - killedAt) / 100) / 10} s after the kill)`,
    );
    expect(after.locations.map((place) => place.serviceLocation)).toContain(after.servingLocation);

    // And they play: the picture goes on past everything that was buffered before the kill.
    const bufferedAhead = atKill.bufferedUntil - atKill.currentTime;
    const past = await waitForPlaybackPast(page, atKill.bufferedUntil + 2, (bufferedAhead + 15) * 1000);
    expect(past.totalVideoFrames).toBeGreaterThan(atKill.totalVideoFrames);
    const state = await watchSnapshot(page);
    expect(state.problem).toBeNull();
    expect(state.qoe.rebufferCount).toBe(0);
    await saveScreenshot(page, 'watch-after-failover');
  });

  it('leaves the rest of the platform running', async () => {
    const others = Object.entries(platformPorts).filter(([, port]) => port !== killed.port);
    const down: string[] = [];
    for (const [name, port] of others) if (!(await isListening(port))) down.push(`${name} (:${port})`);
    expect(down, `services down after ${killed.location} was killed`).toEqual([]);
  });
});
