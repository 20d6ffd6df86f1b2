/*
 * The content team in the player's studio: pastes the content key, creates a title, uploads a
 * clip made by ffmpeg here (with a progress bar), waits for the encoder, publishes; then the
 * title is on viewers' browse page and both edges hold it.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, makeClip } from '@marquee/platform/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../src/index';
import { eventually, heldBy, platformUnderTest, saveScreenshot } from './platform-under-test';

const platform = platformUnderTest();
/** Bytes per second the studio's browser may send: about two seconds for the clip. */
const uplinkBytesPerSecond = 400_000;
const titleName = `E2E Test Card ${new Date().toISOString().slice(11, 19)}`;

let work: string;
let clip: string;
let browser: Browser;
let studio: Page;
let card: Locator;
let titleId: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'marquee-e2e-clip-'));
  clip = join(work, 'test-card.mp4');
  const launching = launchChromium();
  await makeClip(clip, { seconds: 8, size: '640x360', toneHz: 523, sampleRate: 48000, preset: 'veryfast' });
  browser = await launching;
  studio = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the content team', () => {
  it('pastes the content key and creates a title', async () => {
    await studio.goto(`${platform.playerUrl}/studio`);
    await studio.getByTestId('staff-key-input').fill(platform.contentKey);
    await studio.getByTestId('staff-key-save').click();
    await studio.getByTestId('create-title-form').waitFor();
    await studio.getByTestId('title-name').fill(titleName);
    await studio.getByTestId('title-genres').fill('documentary, e2e');
    await studio.getByTestId('title-synopsis').fill('Eight seconds of a test card, uploaded by the end-to-end tests.');
    await studio.getByTestId('title-create').click();
    card = studio.getByTestId('studio-title').filter({ hasText: titleName });
    await card.waitFor({ timeout: 15_000 });
    titleId = (await card.getAttribute('data-title-id')) as string;
    expect(titleId).toBeTruthy();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('draft');
  });

  it('uploads the clip and watches the progress bar fill to 100%', async () => {
    // Every value the bar shows, sampled in the page while the upload runs.
    await studio.evaluate(() => {
      const seen: { value: number; max: number }[] = [];
      (window as unknown as { __progressSeen: typeof seen }).__progressSeen = seen;
      const sample = () => {
        const bar = document.querySelector<HTMLProgressElement>('[data-testid="upload-progress"]');
        const last = seen.at(-1);
        if (bar && (last?.value !== bar.value || last?.max !== bar.max)) seen.push({ value: bar.value, max: bar.max });
      };
      setInterval(sample, 5);
    });
    // Loopback would take the whole clip in one go: a slower uplink, as a content team has, shows the bar move.
    const network = await studio.context().newCDPSession(studio);
    const uplink = (bytesPerSecond: number) =>
      network.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: bytesPerSecond,
      });
    await network.send('Network.enable');
    await uplink(uplinkBytesPerSecond);
    await card.getByTestId('upload-input').setInputFiles(clip);
    await expect
      .poll(() => card.getByTestId('upload-state').getAttribute('data-phase'), { timeout: 60_000 })
      .toBe('done');
    await uplink(-1);
    const seen = await studio.evaluate(
      () => (window as unknown as { __progressSeen: { value: number; max: number }[] }).__progressSeen,
    );
    const { size } = await stat(clip);
    console.log(`upload progress bar showed ${seen.map((s) => `${s.value}/${s.max}`).join(' → ')} (${size} bytes)`);
    const last = seen.at(-1);
    expect(last).toEqual({ value: size, max: size });
    // It moved through values between empty and full, and only ever forward.
    expect(seen.some((s) => s.value > 0 && s.value < size)).toBe(true);
    for (let i = 1; i < seen.length; i++)
      expect((seen[i] as { value: number }).value).toBeGreaterThanOrEqual((seen[i - 1] as { value: number }).value);
    expect(await card.getByTestId('upload-state').textContent()).toContain('(100%)');
  });

  it('sees the encoding go through to done, then publishes', async () => {
    const states = new Set<string>();
    await eventually(
      'the encoding to be done',
      async () => {
        const status = card.getByTestId('encoding-status');
        const state = (await status.count()) > 0 ? await status.getAttribute('data-state') : null;
        if (state) states.add(state);
        if (state === 'failed') throw new Error(`encoding failed: ${await status.textContent()}`);
        return state === 'completed';
      },
      120_000,
    );
    console.log(`encoding states seen: ${[...states].join(' → ')}`);
    expect(await card.getByTestId('encoding-status').textContent()).toMatch(/Ladder: \d+p/);
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('encoded');
    await saveScreenshot(studio, 'studio-encoded');
    await card.getByTestId('publish-button').click();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('published');
    await expect.poll(() => card.getByTestId('title-status').textContent()).toBe('Published');
  });

  it('the published title reaches viewers: on browse, and held by both edges', async () => {
    const viewer = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signUp(viewer, platform.playerUrl, 'standard');
    const onBrowse = viewer.locator(`[data-testid="title-card"][data-title-id="${titleId}"]`);
    await eventually(
      'the new title on the browse page',
      async () => {
        await viewer.goto(`${platform.playerUrl}/`);
        await viewer.getByTestId('hero').waitFor();
        return (await onBrowse.count()) > 0;
      },
      30_000,
    );
    expect(await onBrowse.first().textContent()).toContain(titleName);
    for (const edge of platform.edgeUrls)
      await eventually(
        `${edge}/status to list ${titleId} as held`,
        async () => (await heldBy(edge)).includes(titleId),
        60_000,
      );
  });
});
