/*
 * Content tokens that live a few seconds: the suite's platform is started again on the same
 * data (so the demo titles are already there) with CONTENT_TOKEN_TTL_SECONDS=4. A 30 s play in
 * the player goes on across many renewals without a stall or a refused segment (the token in
 * the segment URLs changes as it goes); through the API, a heartbeat answers a fresh token, a
 * stopped session gets none, and a token left to expire is refused.
 */
import { join } from 'node:path';
import { loadContentTokenSecret, verifyContentToken } from '@marquee/platform';
import { launchChromium } from '@marquee/platform/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  busyPorts,
  heartbeatThroughApi,
  type PathwayWatch,
  type Platform,
  pathwayDirectory,
  signUp,
  signUpThroughApi,
  startPlatform,
  startPlaybackThroughApi,
  stopPlaybackThroughApi,
  viewerCatalog,
  waitForPlaybackPast,
  watchPathways,
  watchSnapshot,
} from '../src/index';
import { artifactsDir, platformUnderTest } from './platform-under-test';

const suite = platformUnderTest();
const ttlSeconds = 4;
const playSeconds = 30;

let restarted: Platform;
let browser: Browser;
let page: Page;
let watch: PathwayWatch | undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  // Run alone, this file finds the suite's platform still up: stop it as Ctrl-C would.
  if ((await busyPorts()).length > 0) {
    try {
      process.kill(-suite.processGroup, 'SIGINT');
    } catch {
      // Already gone.
    }
    const deadline = Date.now() + 40_000;
    while ((await busyPorts()).length > 0 && Date.now() < deadline) await sleep(250);
  }
  const started = Date.now();
  restarted = await startPlatform({
    dataDir: suite.dataDir,
    env: { CONTENT_TOKEN_TTL_SECONDS: String(ttlSeconds) },
    logFile: join(artifactsDir, 'platform-short-tokens.log'),
    portsTimeoutMs: 30_000,
  });
  await restarted.demoTitles(120_000);
  console.log(
    `npm start again on the same data with CONTENT_TOKEN_TTL_SECONDS=${ttlSeconds}: ready in ${Date.now() - started} ms`,
  );
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
}, 180_000);

afterAll(async () => {
  watch?.stop();
  await browser?.close();
  const stopped = await restarted?.stop();
  expect(stopped?.busyPorts ?? []).toEqual([]);
}, 60_000);

describe(`content tokens of ${ttlSeconds} s`, () => {
  it(`a ${playSeconds} s play keeps playing across many renewals, without a stall or a refused segment`, async () => {
    await signUp(page, restarted.playerUrl, 'standard');
    const longest = (await viewerCatalog(page, restarted.playerUrl)).toSorted(
      (a, b) => (b.durationSeconds ?? 0) - (a.durationSeconds ?? 0),
    )[0];
    expect(longest?.durationSeconds ?? 0).toBeGreaterThan(playSeconds + 5);
    watch = watchPathways(page, await pathwayDirectory([...restarted.edgeUrls, restarted.originUrl]));
    await page.goto(`${restarted.playerUrl}/title/${longest?.titleId}`);
    await page.getByTestId('play-button').click();
    const played = await waitForPlaybackPast(page, playSeconds, (playSeconds + 30) * 1000);
    const state = await watchSnapshot(page);
    const renewals = state.tokenRenewals;
    const tokens = [...new Set(watch.media.map((answer) => answer.token))];
    console.log(
      `played to ${played.currentTime.toFixed(1)} s: ${renewals} renewal(s) by the player's count, ` +
        `${tokens.length} different tokens in ${watch.media.length} segment requests, ` +
        `${state.heartbeats} heartbeats, ${state.qoe.rebufferCount} rebuffer(s)`,
    );
    expect(state.engine).toBe('dash');
    expect(state.problem).toBeNull();
    expect(state.playerErrors).toEqual([]);
    expect(state.qoe.rebufferCount).toBe(0);
    expect(renewals).toBeGreaterThanOrEqual(3);
    // The segment URLs switched to each fresh token, and the servers took every one.
    expect(tokens.length).toBeGreaterThanOrEqual(4);
    expect(watch.media.filter((answer) => answer.status >= 400)).toEqual([]);
    expect(watch.failed).toEqual([]);
    await page.getByTestId('stop-button').click();
    await page.getByTestId('playback-stopped').waitFor();
  }, 120_000);

  it('a heartbeat answers a fresh token; a stopped session gets none, and its last token expires', async () => {
    const secret = loadContentTokenSecret({ DATA_DIR: restarted.dataDir });
    const viewer = await signUpThroughApi(restarted.commandApiUrl, 'standard');
    const titles = (await (
      await fetch(`${restarted.queryApiUrl}/catalog?limit=100`, {
        headers: { authorization: `Bearer ${viewer.bearer}` },
      })
    ).json()) as { items: { titleId: string; kind: string }[] };
    const film = titles.items.find((item) => item.kind === 'film');
    const session = await startPlaybackThroughApi(viewer, film?.titleId as string);
    const scope = { titleId: session.titleId, encodingId: session.encodingId };
    expect(Date.parse(session.tokenExpiresAt) - Date.now()).toBeLessThanOrEqual(ttlSeconds * 1000);

    await sleep(1_100);
    const beat = await heartbeatThroughApi(viewer, session.sessionId, 1);
    expect(beat.token).not.toBe(session.token);
    expect(Date.parse(beat.tokenExpiresAt)).toBeGreaterThan(Date.parse(session.tokenExpiresAt));
    const renewed = verifyContentToken(secret, beat.token, scope);
    const first = verifyContentToken(secret, session.token, scope);
    // The same grant, only a later expiry.
    expect(renewed.ok && { ...renewed.claims, expiresAt: 0 }).toEqual(first.ok && { ...first.claims, expiresAt: 0 });

    await stopPlaybackThroughApi(viewer, session.sessionId, 2);
    await expect(heartbeatThroughApi(viewer, session.sessionId, 3)).rejects.toMatchObject({ status: 409 });
    // What the stopped session still holds runs out: the servers refuse it as expired.
    const manifest = session.manifests[0]?.dash.replace(`/c/${session.token}/`, `/c/${beat.token}/`) as string;
    expect((await fetch(manifest)).status).toBe(200);
    await sleep(Math.max(0, Date.parse(beat.tokenExpiresAt) - Date.now()) + 1_000);
    const refused = await fetch(manifest);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'Forbidden', message: expect.stringMatching(/expired/) });
  }, 60_000);
});
