/*
 * A viewer on the basic plan: signs up, browses, watches a title for a few seconds within the
 * plan's height, stops, finds it in "Continue watching" where they left it, and resumes there.
 */

import { launchChromium } from '@marquee/platform/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockSeconds, planMaxHeight, signUp, videoFacts, viewerCatalog, waitForPlaybackPast } from '../src/index';
import { eventually, platformUnderTest, saveScreenshot, tallestRungs } from './platform-under-test';

const platform = platformUnderTest();
const plan = 'basic';
const stopAfterSeconds = 6;

let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The title watched: the tallest demo title, so the plan's cap has something to cut. */
let watched: { titleId: string; name: string; tallest: number };
/** Where the viewer stopped, as the player told them ("Stopped at m:ss"), and the video's clock then. */
let stoppedAt: { shown: number; videoTime: number; duration: number };

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
});

describe('a viewer on the basic plan', () => {
  it('signs up, makes a profile and browses the published titles', async () => {
    await signUp(page, platform.playerUrl, plan);
    await page.getByTestId('hero-title').waitFor();
    const cardNames = await page
      .getByTestId('title-card')
      .evaluateAll((cards) => cards.map((c) => c.textContent ?? ''));
    for (const name of platform.demoTitles) expect(cardNames.some((text) => text.includes(name))).toBe(true);
    expect(platform.demoTitles).toContain((await page.getByTestId('hero-title').textContent())?.trim());
    await page.waitForLoadState('networkidle');
    await saveScreenshot(page, 'browse');

    const ladders = await tallestRungs(platform);
    const catalog = await viewerCatalog(page, platform.playerUrl);
    const tallest = catalog
      .map((title) => ({ ...title, tallest: ladders.get(title.titleId) ?? 0 }))
      .toSorted((a, b) => b.tallest - a.tallest)[0];
    // The cap is only seen at work on a title with rungs above it.
    expect(tallest?.tallest).toBeGreaterThan(planMaxHeight[plan]);
    watched = tallest as typeof watched;
  });

  it('plays a title: the picture moves, frames are decoded, no taller than the plan allows', async () => {
    await page.getByTestId('title-card').filter({ hasText: watched.name }).first().click();
    await expect.poll(() => page.getByTestId('title-name').textContent()).toBe(watched.name);
    await page.getByTestId('play-button').click();
    await page.waitForURL(`**/watch/${watched.titleId}`);

    const heights: number[] = [];
    const sampler = setInterval(() => {
      void videoFacts(page).then(
        (facts) => facts.videoHeight > 0 && heights.push(facts.videoHeight),
        () => {},
      );
    }, 250);
    let facts: Awaited<ReturnType<typeof videoFacts>>;
    try {
      facts = await waitForPlaybackPast(page, 3, 30_000);
    } finally {
      clearInterval(sampler);
    }
    expect(facts.currentTime).toBeGreaterThan(3);
    expect(facts.totalVideoFrames).toBeGreaterThan(0);
    expect(facts.videoHeight).toBeGreaterThan(0);
    heights.push(facts.videoHeight);
    expect(Math.max(...heights)).toBeLessThanOrEqual(planMaxHeight[plan]);
    await expect
      .poll(() => page.getByTestId('playback-status').textContent())
      .toContain(`up to ${planMaxHeight[plan]}p`);
    await saveScreenshot(page, 'watch');
  });

  it(`stops after about ${stopAfterSeconds} s and finds the title in "Continue watching" there`, async () => {
    const facts = await waitForPlaybackPast(page, stopAfterSeconds, 30_000);
    expect(facts.videoHeight).toBeLessThanOrEqual(planMaxHeight[plan]);
    await page.getByTestId('stop-button').click();
    const overlay = page.getByTestId('playback-stopped');
    await overlay.waitFor();
    const shown = /Stopped at (\d+:\d\d)/.exec((await overlay.textContent()) ?? '')?.[1];
    expect(shown).toBeDefined();
    stoppedAt = { shown: clockSeconds(shown as string), videoTime: facts.currentTime, duration: facts.duration };
    expect(Math.abs(stoppedAt.shown - stoppedAt.videoTime)).toBeLessThanOrEqual(2);

    // The row is built from the views, which follow the log a moment behind: browse again until it
    // is there with the stop's position (it may first show the title from its start, before the stop).
    const card = page
      .getByTestId('continue-watching')
      .locator(`[data-testid="title-card"][data-title-id="${watched.titleId}"]`);
    const progressSeconds = async () =>
      (await card.locator('progress').evaluate((bar) => (bar as HTMLProgressElement).value)) * stoppedAt.duration;
    await eventually(
      'the title in "Continue watching" at the stop',
      async () => {
        await page.goto(`${platform.playerUrl}/`);
        await page.getByTestId('hero').waitFor();
        return (await card.count()) > 0 && Math.abs((await progressSeconds()) - stoppedAt.shown) <= 2;
      },
      20_000,
    );
    expect(Math.abs((await progressSeconds()) - stoppedAt.shown)).toBeLessThanOrEqual(2);

    // The title's page offers to resume from there.
    await page.goto(`${platform.playerUrl}/title/${watched.titleId}`);
    await expect.poll(() => page.getByTestId('play-button').textContent()).toMatch(/Resume from \d+:\d\d/);
    const resumeText = /Resume from (\d+:\d\d)/.exec((await page.getByTestId('play-button').textContent()) ?? '')?.[1];
    expect(Math.abs(clockSeconds(resumeText as string) - stoppedAt.shown)).toBeLessThanOrEqual(2);
  });

  it('plays it again from where it stopped, not from the start', async () => {
    await page.getByTestId('play-button').click();
    await page.waitForURL(`**/watch/${watched.titleId}`);
    // The first moment frames move: where does the picture start?
    const startedAt = await page.waitForFunction(
      () => {
        const video = document.querySelector<HTMLVideoElement>('[data-testid="video"]');
        return video && !video.paused && video.readyState >= 3 && video.currentTime > 0 ? video.currentTime : false;
      },
      undefined,
      { timeout: 30_000, polling: 50 },
    );
    const from = (await startedAt.jsonValue()) as number;
    expect(from).toBeGreaterThan(stoppedAt.shown - 2);
    expect(from).toBeLessThan(stoppedAt.shown + 2.5);
    const later = await waitForPlaybackPast(page, from + 1, 20_000);
    expect(later.totalVideoFrames).toBeGreaterThan(0);
    await page.getByTestId('stop-button').click();
    await page.getByTestId('playback-stopped').waitFor();
  });
});
