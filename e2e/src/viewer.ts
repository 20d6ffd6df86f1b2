/// <reference lib="dom" />
/*
 * What a viewer does in the player, through its data-testid hooks, and what they would see:
 * the video element's own clock, frames and size, and the watch page's `window.__marquee`.
 */
import { randomUUID } from 'node:crypto';
import type { WatchState } from '@marquee/player';
import type { Page } from 'playwright-core';

export type Plan = 'basic' | 'standard' | 'premium';

/** The tallest picture each plan may show (the domain's plans). */
export const planMaxHeight: Record<Plan, number> = { basic: 720, standard: 1080, premium: 2160 };

/** Signs up with a new address, makes a profile and lands on browse. */
export const signUp = async (page: Page, playerUrl: string, plan: Plan, profileName = 'Viewer') => {
  const email = `viewer-${randomUUID()}@example.com`;
  await page.goto(`${playerUrl}/signup`);
  await page.getByTestId('signup-email').fill(email);
  await page.getByTestId('signup-password').fill('a long enough password');
  await page.getByTestId(`signup-plan-${plan}`).check();
  await page.getByTestId('signup-submit').click();
  await page.waitForURL(`${playerUrl}/profiles`);
  await page.getByTestId('profile-name').fill(profileName);
  await page.getByTestId('profile-create').click();
  await page.waitForURL(`${playerUrl}/`);
  return { email };
};

/** What a viewer would notice about the video: where it is, whether frames arrive, how tall they are. */
export type VideoFacts = {
  currentTime: number;
  duration: number;
  paused: boolean;
  readyState: number;
  videoHeight: number;
  videoWidth: number;
  totalVideoFrames: number;
  droppedVideoFrames: number;
  /** The end of the buffered range that holds currentTime (seconds), or currentTime. */
  bufferedUntil: number;
};

/** What a video element shows; runs in the page (self-contained, as playwright serialises it). */
export const readVideoElement = (element: Element): VideoFacts => {
  const video = element as HTMLVideoElement;
  const quality = video.getVideoPlaybackQuality();
  let bufferedUntil = video.currentTime;
  for (let i = 0; i < video.buffered.length; i++)
    if (video.buffered.start(i) <= video.currentTime + 0.1 && video.buffered.end(i) >= video.currentTime)
      bufferedUntil = video.buffered.end(i);
  return {
    currentTime: video.currentTime,
    duration: video.duration,
    paused: video.paused,
    readyState: video.readyState,
    videoHeight: video.videoHeight,
    videoWidth: video.videoWidth,
    totalVideoFrames: quality.totalVideoFrames,
    droppedVideoFrames: quality.droppedVideoFrames,
    bufferedUntil,
  };
};

export const videoFacts = (page: Page): Promise<VideoFacts> => page.getByTestId('video').evaluate(readVideoElement);

/** The watch page's session state (`window.__marquee.snapshot()`): the player's own type. */
export type WatchSnapshot = WatchState;

export const watchSnapshot = (page: Page): Promise<WatchSnapshot> =>
  page.evaluate(() => {
    const marquee = (window as unknown as { __marquee?: { snapshot(): unknown } }).__marquee;
    if (!marquee) throw new Error('window.__marquee is not there: not on the watch page?');
    return marquee.snapshot() as WatchSnapshot;
  });

/** Waits until the video has played past `seconds` (its own clock), or fails with what the page shows. */
export const waitForPlaybackPast = async (page: Page, seconds: number, timeoutMs: number) => {
  try {
    await page.waitForFunction(
      (past) => {
        const video = document.querySelector<HTMLVideoElement>('[data-testid="video"]');
        return video !== null && !video.paused && video.currentTime > past;
      },
      seconds,
      { timeout: timeoutMs, polling: 100 },
    );
  } catch (error) {
    const state = await watchSnapshot(page).catch(() => null);
    const facts = await videoFacts(page).catch(() => null);
    throw new Error(
      `the video did not play past ${seconds} s within ${timeoutMs} ms: ${error instanceof Error ? error.message : error}\n` +
        `video: ${JSON.stringify(facts)}\nsession: ${JSON.stringify(state)}`,
    );
  }
  return videoFacts(page);
};

/** `m:ss` or `h:mm:ss` as the player writes it → seconds. */
export const clockSeconds = (text: string): number => {
  const parts = text.split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
};

/** A film or a series (whose `titleId` is the series' id: its page, not something to play). */
export type CatalogEntry = {
  titleId: string;
  kind: 'film' | 'series' | 'episode';
  name: string;
  durationSeconds: number | null;
};

/** The catalog as the signed-in viewer's browse page asks for it, through the player's server. */
export const viewerCatalog = async (page: Page, playerUrl: string): Promise<CatalogEntry[]> => {
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('marquee.viewer') ?? 'null')?.token);
  const response = await fetch(`${playerUrl}/api/queries/catalog?limit=100`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`the catalog answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { items: CatalogEntry[] }).items;
};
