/*
 * A series, as a viewer and a parent meet it. The demo seed made "Pattern Tales": three short
 * episodes made by ffmpeg, each its own cold open, then the same intro tune, then its own rest;
 * the encoder proposed each intro, the seed accepted them and marked the credits. A viewer plays
 * episode 1, skips the intro, reaches the credits, and episode 2 starts by itself; continue
 * watching then offers episode 2. A kids profile never sees an 18+ film (made here, so no other
 * test's changes to the demo titles matter), and is refused it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, makeClip } from '@marquee/platform/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSeries } from '../../scripts/seed-demo';
import { signUp, videoFacts, viewerCatalog, waitForPlaybackPast } from '../src/index';
import { contentCommand, contentQuery, eventually, platformUnderTest, saveScreenshot } from './platform-under-test';

const platform = platformUnderTest();

type Range = { startSeconds: number; endSeconds: number };
type Episode = {
  titleId: string;
  season: number;
  episode: number;
  name: string;
  markers: { intro: Range | null; credits: Range | null };
  introProposal: Range | null;
};

const content = <T>(path: string) => contentQuery<T>(platform, path);
const send = (method: string, path: string, body: BodyInit, contentType?: string) =>
  contentCommand(platform, method, path, body, contentType);

/** A short film rated 18+, through the content team's API: created, uploaded, encoded, published. */
const publishAdultFilm = async (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-e2e-film-'));
  try {
    const clip = await makeClip(join(dir, 'film.mp4'), { seconds: 4, size: '426x240' });
    const film = { name, synopsis: 'Not for children.', genres: ['thriller'], year: 2026, maturityRating: '18+' };
    const { titleId } = (await send('POST', '/titles', JSON.stringify(film))) as { titleId: string };
    await send('PUT', `/titles/${titleId}/source`, await readFile(clip), 'video/mp4');
    await eventually(
      `"${name}" to be encoded`,
      async () => (await content<{ status: string }>(`/titles/${titleId}`)).status === 'encoded',
      120_000,
    );
    await send('POST', `/titles/${titleId}/publish`, '{}');
    return { titleId, name };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

let browser: Browser;
let page: Page;
let seriesId: string;
let episodes: Episode[];
/** The 18+ film a kids profile must never meet. */
let adultFilm: { titleId: string; name: string };

beforeAll(async () => {
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const { items } = await content<{ items: { seriesId: string; name: string }[] }>('/series?limit=100');
  seriesId = items.find((series) => series.name === demoSeries.name)?.seriesId as string;
  expect(seriesId).toBeTruthy();
  episodes = (await content<{ episodes: Episode[] }>(`/series/${seriesId}`)).episodes;
  adultFilm = await publishAdultFilm('Night Shift');
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe('a series with a shared intro', () => {
  it("the encoder found each episode's intro within a second of where the clip put it", () => {
    expect(episodes.map((e) => e.episode)).toEqual([1, 2, 3]);
    for (const [index, made] of demoSeries.episodes.entries()) {
      const truth = { startSeconds: made.coldOpenSeconds, endSeconds: made.coldOpenSeconds + demoSeries.introSeconds };
      const proposal = episodes[index]?.introProposal;
      console.log(
        `episode ${index + 1}: intro made at ${truth.startSeconds}–${truth.endSeconds} s, ` +
          `proposed ${proposal?.startSeconds}–${proposal?.endSeconds} s`,
      );
      // The seed accepted a proposal (an earlier one, if detection ran again once episode 3 was
      // encoded) and marked the credits: what the viewer skips is within a second too.
      const accepted = episodes[index]?.markers.intro;
      for (const range of [proposal, accepted]) {
        expect(range).not.toBeNull();
        expect(Math.abs((range as Range).startSeconds - truth.startSeconds)).toBeLessThanOrEqual(1);
        expect(Math.abs((range as Range).endSeconds - truth.endSeconds)).toBeLessThanOrEqual(1);
      }
      expect(episodes[index]?.markers.credits).not.toBeNull();
    }
  });

  it('browse shows the series once, never its episodes, and its page picks a season', async () => {
    await signUp(page, platform.playerUrl, 'standard');
    await page.getByTestId('hero-title').waitFor();
    const catalog = await viewerCatalog(page, platform.playerUrl);
    expect(catalog.filter((item) => item.titleId === seriesId)).toHaveLength(1);
    const episodeIds = new Set(episodes.map((e) => e.titleId));
    expect(catalog.filter((item) => episodeIds.has(item.titleId))).toEqual([]);
    const cards = page.locator(`[data-testid="title-card"][data-title-id="${seriesId}"]`);
    expect(await cards.count()).toBeGreaterThan(0);

    await cards.first().click();
    await expect.poll(() => page.getByTestId('title-name').textContent()).toBe(demoSeries.name);
    await page.getByTestId('season-picker').waitFor();
    const listed = await page
      .getByTestId('episode-list')
      .locator('li')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-title-id')));
    expect(listed).toEqual(episodes.map((e) => e.titleId));
    await saveScreenshot(page, 'series');
  });

  it('plays episode 1: "Skip intro" skips it, the credits offer the next, and episode 2 starts by itself', async () => {
    const [first, second] = episodes as [Episode, Episode];
    const intro = first.markers.intro as Range;
    const credits = first.markers.credits as Range;
    await page.getByTestId('episode-1').getByTestId('episode-play').click();
    await page.waitForURL(`**/watch/${first.titleId}`);

    const skip = page.getByTestId('skip-intro');
    await skip.waitFor({ timeout: 30_000 });
    const before = await videoFacts(page);
    expect(before.currentTime).toBeGreaterThanOrEqual(intro.startSeconds - 0.5);
    expect(before.currentTime).toBeLessThan(intro.endSeconds);
    await skip.click();
    const after = await waitForPlaybackPast(page, intro.endSeconds - 0.5, 15_000);
    expect(after.currentTime).toBeLessThan(intro.endSeconds + 3);
    await skip.waitFor({ state: 'hidden', timeout: 5_000 });
    console.log(`skipped the intro at ${before.currentTime.toFixed(1)} s, landed at ${after.currentTime.toFixed(1)} s`);

    // The credits: "Next episode" and its countdown, then episode 2 without a click.
    const countdown = page.getByTestId('next-episode-countdown');
    await countdown.waitFor({ timeout: (credits.startSeconds - intro.endSeconds + 20) * 1000 });
    const atCredits = await videoFacts(page);
    expect(atCredits.currentTime).toBeGreaterThanOrEqual(credits.startSeconds - 1);
    await expect(page.getByTestId('next-episode').count()).resolves.toBeGreaterThan(0);
    await saveScreenshot(page, 'next-episode-countdown');
    await page.waitForURL(`**/watch/${second.titleId}`, { timeout: 20_000 });
    const playing = await waitForPlaybackPast(page, 2, 30_000);
    expect(playing.totalVideoFrames).toBeGreaterThan(0);
    await page.getByTestId('stop-button').click();
    await page.getByTestId('playback-stopped').waitFor();
  });

  it('continue watching then offers episode 2 of the series', async () => {
    const second = episodes[1] as Episode;
    const card = page
      .getByTestId('continue-watching')
      .locator(`[data-testid="title-card"][data-title-id="${second.titleId}"]`);
    await eventually(
      'episode 2 in "Continue watching"',
      async () => {
        await page.goto(`${platform.playerUrl}/`);
        await page.getByTestId('hero').waitFor();
        return (await card.count()) > 0;
      },
      20_000,
    );
    const text = (await card.first().textContent()) ?? '';
    expect(text).toContain(demoSeries.name);
    expect(text).toContain('S1:E2');
    await saveScreenshot(page, 'continue-watching-series');
  });

  it('a kids profile sees none of the 18+ film anywhere, and the server refuses to play it', async () => {
    await page.goto(`${platform.playerUrl}/profiles`);
    await page.getByTestId('profile-name').fill('Kid');
    await page.getByTestId('profile-kids').check();
    await page.getByTestId('profile-create').click();
    await page.waitForURL(`${platform.playerUrl}/`);
    const viewer = await page.evaluate(() => ({
      token: JSON.parse(localStorage.getItem('marquee.viewer') ?? 'null')?.token as string,
      profileId: JSON.parse(localStorage.getItem('marquee.profile') ?? 'null')?.profileId as string,
    }));
    expect(viewer.profileId).toBeTruthy();
    await page.getByTestId('hero-title').waitFor();
    await page.waitForLoadState('networkidle');
    const shown = async () =>
      page.getByTestId('title-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-title-id')));
    // The kids profile still has a catalog (the 7+ series), just not the 18+ film.
    expect(await shown()).toContain(seriesId);
    expect(await shown()).not.toContain(adultFilm.titleId);
    expect(await page.content()).not.toContain(adultFilm.name);

    await page.goto(`${platform.playerUrl}/search?q=${encodeURIComponent(adultFilm.name.split(' ')[0] as string)}`);
    await page.getByTestId('search-empty').waitFor();
    await page.goto(`${platform.playerUrl}/title/${adultFilm.titleId}`);
    await page.getByTestId('title-unavailable').waitFor();
    expect(await page.content()).not.toContain(adultFilm.name);
    await saveScreenshot(page, 'kids-profile-refused');

    // The server decides, whatever a client sends: the query API and the command API, asked directly.
    const auth = { authorization: `Bearer ${viewer.token}` };
    const query = (path: string) => fetch(`${platform.queryApiUrl}${path}`, { headers: auth });
    const browse = (await (await query(`/catalog?limit=100&profileId=${viewer.profileId}`)).json()) as {
      items: { titleId: string }[];
    };
    expect(browse.items.map((item) => item.titleId)).not.toContain(adultFilm.titleId);
    const byId = await query(`/catalog/${adultFilm.titleId}?profileId=${viewer.profileId}`);
    expect(byId.status).toBe(403);
    expect(await byId.text()).not.toContain(adultFilm.name);
    const started = await fetch(`${platform.commandApiUrl}/playback`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ profileId: viewer.profileId, titleId: adultFilm.titleId }),
    });
    expect(started.status).toBe(409);
    expect(((await started.json()) as { error: string }).error).toBe('AboveMaturityLevel');
  });
});
