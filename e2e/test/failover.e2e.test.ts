/*
 * An edge dies under a viewer: the edge serving their video is killed (SIGKILL) mid-play. The
 * picture must keep moving without a single stall, the next segments must come from the other
 * edge, content steering must move the session there (how long it took is printed), and the rest
 * of the platform must carry on without that edge. Where segments come from is read off the
 * network (the URL's host is the pathway), not from the player's own account of it.
 */

import { launchChromium } from '@marquee/platform/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isListening,
  type PathwayWatch,
  pathwayDirectory,
  pathwayMove,
  pidListeningOn,
  platformPorts,
  signUp,
  videoFacts,
  viewerCatalog,
  type WatchSnapshot,
  waitForPlaybackPast,
  watchPathways,
  watchSnapshot,
} from '../src/index';
import { eventually, platformUnderTest, saveScreenshot } from './platform-under-test';

const platform = platformUnderTest();

let browser: Browser;
let page: Page;
let watch: PathwayWatch;
let killed: { pathway: string; port: number; pid: number };

beforeAll(async () => {
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
});

afterAll(async () => {
  watch?.stop();
  await browser?.close();
});

describe('an edge dying mid-play', () => {
  it('does not stop the picture: steering moves the session to the other edge, with no stall', async () => {
    const directory = await pathwayDirectory([...platform.edgeUrls, platform.originUrl]);
    const portOf = new Map([...directory].map(([origin, pathway]) => [pathway, Number(new URL(origin).port)]));
    await signUp(page, platform.playerUrl, 'standard');
    const longest = (await viewerCatalog(page, platform.playerUrl)).toSorted(
      (a, b) => (b.durationSeconds ?? 0) - (a.durationSeconds ?? 0),
    )[0];
    // Long enough to play through what was buffered before the kill and well past it.
    expect(longest?.durationSeconds ?? 0).toBeGreaterThanOrEqual(45);
    watch = watchPathways(page, directory);
    await page.goto(`${platform.playerUrl}/title/${longest?.titleId}`);
    await page.getByTestId('play-button').click();
    await waitForPlaybackPast(page, 3, 30_000);

    // Steering put an edge first, and that edge is the one sending the video.
    const serving = watch.serving();
    expect(watch.steering.length, 'the player asked the steering server before it started').toBeGreaterThan(0);
    expect(serving).toBe(watch.steering.at(-1)?.priority[0]);
    expect(serving).not.toBe('origin');
    const port = portOf.get(serving as string) as number;
    killed = { pathway: serving as string, port, pid: await pidListeningOn(port) };

    const atKill = await videoFacts(page);
    process.kill(killed.pid, 'SIGKILL');
    const killedAt = Date.now();
    // `npm start` restarts the edge: from when it listens again, it is a living place too.
    let backAt = Number.POSITIVE_INFINITY;
    void (async () => {
      while (Date.now() < killedAt + 120_000 && !(await isListening(port)))
        await new Promise((resolve) => setTimeout(resolve, 100));
      if (await isListening(port)) backAt = Date.now();
    })();
    console.log(
      `killed ${killed.pathway} (pid ${killed.pid}, port ${port}) at ${atKill.currentTime.toFixed(2)} s, ` +
        `buffered until ${atKill.bufferedUntil.toFixed(2)} s`,
    );

    // Within 3 s the picture is still moving.
    const moving = await waitForPlaybackPast(page, atKill.currentTime + 1, 3_000);
    expect(moving.currentTime).toBeGreaterThan(atKill.currentTime);

    // Steering leaves the dead edge out once its heartbeat lapses, and the next segments come from the other edge.
    let lastSeen: WatchSnapshot | undefined;
    const move = await eventually(
      'steering to leave the dead edge out, and segments from another place',
      async () => {
        lastSeen = await watchSnapshot(page);
        if (lastSeen.problem) throw new Error(`playback failed: ${JSON.stringify(lastSeen.problem)}`);
        const move = pathwayMove(watch, killed.pathway, killedAt);
        return move.steeredAfterMs !== null && move.servedAfterMs !== null ? move : undefined;
      },
      30_000,
    ).catch((error: Error) => {
      const seen = { move: pathwayMove(watch, killed.pathway, killedAt), steering: watch.steering.slice(-3) };
      throw new Error(`${error.message}\nseen: ${JSON.stringify(seen, null, 2)}\nplayer: ${JSON.stringify(lastSeen)}`);
    });
    console.log(
      `steering moved the session off ${killed.pathway} ${move.steeredAfterMs} ms after the kill; the first segment ` +
        `from ${move.servedBy} came ${move.servedAfterMs} ms after it (${move.failedRequests} request(s) to the dead edge failed first)`,
    );
    expect(move.servedBy).not.toBe(killed.pathway);
    expect(move.servedBy).not.toBe('origin');
    const steeredTo = watch.steering.find((answer) => !answer.priority.includes(killed.pathway))?.priority;
    expect(steeredTo?.[0]).toBe(move.servedBy);

    // And they play: the picture goes on past everything that was buffered before the kill, without a stall.
    const bufferedAhead = atKill.bufferedUntil - atKill.currentTime;
    const past = await waitForPlaybackPast(page, atKill.bufferedUntil + 2, (bufferedAhead + 15) * 1000);
    expect(past.totalVideoFrames).toBeGreaterThan(atKill.totalVideoFrames);
    const state = await watchSnapshot(page);
    expect(state.problem).toBeNull();
    expect(state.qoe.rebufferCount).toBe(0);
    // Everything after the move came from the living places, and succeeded.
    const afterMove = watch.media.filter((answer) => answer.at > killedAt + (move.servedAfterMs ?? 0));
    expect(
      afterMove.filter((answer) => (answer.pathway === killed.pathway && answer.at < backAt) || answer.status >= 400),
    ).toEqual([]);
    await saveScreenshot(page, 'watch-after-failover');
  });

  it('leaves the rest of the platform running', async () => {
    const others = Object.entries(platformPorts).filter(([, port]) => port !== killed.port);
    const down: string[] = [];
    for (const [name, port] of others) if (!(await isListening(port))) down.push(`${name} (:${port})`);
    expect(down, `services down after ${killed.pathway} was killed`).toEqual([]);
  });
});
