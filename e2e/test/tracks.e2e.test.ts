/*
 * A title in two languages with subtitles, as viewers and standard clients meet it. The demo
 * seed made "Two Voices": a source with an English and a French audio stream (tagged eng and
 * fre), and English and French captions uploaded before it, so its first package carries them.
 * A viewer sees a caption cue, switches to French without a restart, and sees the frame under
 * the pointer on the seek bar; a profile set to French starts in French. ffmpeg finds every
 * stream in the DASH manifest and the HLS master. Captions added to a published title make a
 * revision that an edge fills by downloading only its new files (a title made here, so the demo
 * title stays as the other tests expect it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, makeCaptionsText, makeClip } from '@marquee/platform/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTitles } from '../../scripts/seed-demo';
import {
  type ApiViewer,
  probeStreams,
  signUp,
  signUpThroughApi,
  startPlaybackThroughApi,
  stopPlaybackThroughApi,
  videoFacts,
  waitForPlaybackPast,
} from '../src/index';
import { contentCommand, contentQuery, eventually, platformUnderTest, saveScreenshot } from './platform-under-test';

const platform = platformUnderTest();
const twoVoices = demoTitles.find((title) => title.key === 'two-voices') as (typeof demoTitles)[number];

const content = <T>(path: string) => contentQuery<T>(platform, path);
const send = (method: string, path: string, body: BodyInit, contentType?: string) =>
  contentCommand(platform, method, path, body, contentType);

/** The audio representation ids (`a0`, `a1`) the page has fetched segments of since `since`. */
const audioFetched = (requests: string[], since: number) =>
  new Set(
    requests
      .slice(since)
      .map((url) => /\/(?:init|segment)-(a\d+)[-.]/.exec(url)?.[1])
      .filter((id): id is string => id !== undefined),
  );

/** The text of the cues the video shows now, in every caption track that is showing. */
const shownCues = (page: Page) =>
  page.getByTestId('video').evaluate((element) => {
    const video = element as HTMLVideoElement;
    const cues: string[] = [];
    for (const track of Array.from(video.textTracks)) {
      if (track.mode !== 'showing') continue;
      for (const cue of Array.from(track.activeCues ?? [])) cues.push((cue as VTTCue).text);
    }
    return cues;
  });

let browser: Browser;
let page: Page;
let titleId: string;
const requests: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on('request', (request) => requests.push(request.url()));
  const { items } = await content<{ items: { titleId: string; name: string }[] }>('/titles?limit=100');
  titleId = items.find((title) => title.name === twoVoices.name)?.titleId as string;
  expect(titleId, `the demo title "${twoVoices.name}"`).toBeTruthy();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('a title in two languages, with subtitles and seek previews', () => {
  it('its page says which audio and subtitles it has', async () => {
    await signUp(page, platform.playerUrl, 'standard');
    await page.goto(`${platform.playerUrl}/title/${titleId}`);
    const languages = page.getByTestId('title-languages');
    await languages.waitFor();
    const text = (await languages.textContent()) ?? '';
    expect(text).toMatch(/English.*French/);
    expect(text).toMatch(/Subtitles.*English/);
  });

  it('shows the English captions on screen, and switches to French audio without starting again', async () => {
    await page.getByTestId('play-button').click();
    await page.waitForURL(`**/watch/${titleId}`);
    await waitForPlaybackPast(page, 1, 30_000);
    // A new profile has no languages set: the title's first audio, captions off until picked.
    expect([...audioFetched(requests, 0)]).toEqual(['a0']);
    await page.getByTestId('captions-option-en').click();
    const cues = await eventually(
      'an English caption cue on screen',
      async () => {
        const shown = await shownCues(page);
        return shown.some((cue) => /^English line \d+$/.test(cue)) ? shown : undefined;
      },
      15_000,
    );
    console.log(`caption on screen: ${JSON.stringify(cues)}`);
    await saveScreenshot(page, 'captions-english');

    const before = await videoFacts(page);
    const since = requests.length;
    await page.getByTestId('audio-option-fr').click();
    await eventually('French audio segments', async () => audioFetched(requests, since).has('a1'), 15_000);
    const after = await waitForPlaybackPast(page, before.currentTime + 1, 15_000);
    // The same session, later in the title: no restart from the beginning.
    expect(after.currentTime).toBeGreaterThan(before.currentTime);
    expect(requests.slice(since).some((url) => /manifest\.mpd/.test(url) && /\/playback\b/.test(url))).toBe(false);
    console.log(
      `switched audio at ${before.currentTime.toFixed(1)} s, playing on at ${after.currentTime.toFixed(1)} s`,
    );
  });

  it('shows the frame under the pointer on the seek bar', async () => {
    const bar = page.getByTestId('seek-bar');
    const box = await bar.boundingBox();
    expect(box).not.toBeNull();
    const { x, y, width, height } = box as { x: number; y: number; width: number; height: number };
    await page.mouse.move(x + width * 0.75, y + height / 2);
    const preview = page.getByTestId('seek-preview');
    await preview.waitFor({ timeout: 10_000 });
    const image = await preview.evaluate((element) => {
      // The tile is the sprite, moved to the frame under the pointer.
      const tile = element.querySelector('.tile') ?? element;
      return getComputedStyle(tile).backgroundImage;
    });
    expect(image).toMatch(/thumbnails-\d+\.jpg/);
    const url = /url\("?([^")]+)"?\)/.exec(image)?.[1] as string;
    const sprite = await fetch(new URL(url, platform.playerUrl));
    expect(sprite.status).toBe(200);
    expect(sprite.headers.get('content-type')).toMatch(/image\/jpeg/);
    await saveScreenshot(page, 'seek-preview');
    await page.getByTestId('stop-button').click();
    await page.getByTestId('playback-stopped').waitFor();
  });

  it('a profile set to French starts in French audio, with French captions', async () => {
    await page.goto(`${platform.playerUrl}/profiles`);
    await page.getByTestId('profile-name').fill('Camille');
    await page.getByTestId('profile-create').click();
    await page.waitForURL(`${platform.playerUrl}/`);
    await page.goto(`${platform.playerUrl}/profiles`);
    await page.getByTestId('profile-audio-language').last().selectOption('fr');
    await page.getByTestId('profile-caption-language').last().selectOption('fr');
    // The choice is the server's to keep: the profile reads it back.
    await eventually(
      'the French profile languages to be kept',
      async () => {
        await page.reload();
        return (await page.getByTestId('profile-audio-language').last().inputValue()) === 'fr';
      },
      15_000,
    );
    const since = requests.length;
    await page.goto(`${platform.playerUrl}/title/${titleId}`);
    await page.getByTestId('play-button').click();
    await page.waitForURL(`**/watch/${titleId}`);
    await waitForPlaybackPast(page, 2, 30_000);
    expect([...audioFetched(requests, since)]).toEqual(['a1']);
    await eventually(
      'a French caption cue on screen',
      async () => (await shownCues(page)).some((cue) => /^Ligne française \d+$/.test(cue)),
      15_000,
    );
    await saveScreenshot(page, 'profile-in-french');
    await page.getByTestId('stop-button').click();
  });
});

describe('standard clients, and a revision on the edges', () => {
  let viewer: ApiViewer;
  const sessions: string[] = [];
  beforeAll(async () => {
    viewer = await signUpThroughApi(platform.commandApiUrl, 'standard');
  });
  afterAll(async () => {
    for (const sessionId of sessions) await stopPlaybackThroughApi(viewer, sessionId).catch(() => {});
  });

  it('ffmpeg finds the video, both audio languages and the subtitles in the DASH manifest and the HLS master', async () => {
    const answer = await startPlaybackThroughApi(viewer, titleId);
    sessions.push(answer.sessionId);
    const place = answer.manifests[0];
    expect(place?.edgeId).toBeTruthy();
    for (const url of [place?.dash, place?.hls] as string[]) {
      const streams = await probeStreams(url);
      console.log(`${url.endsWith('.mpd') ? 'DASH' : 'HLS'}: ${JSON.stringify(streams)}`);
      expect(streams.video).toBeGreaterThan(0);
      expect(streams.audioLanguages).toEqual(expect.arrayContaining(['en', 'fr']));
      expect(streams.subtitleLanguages).toEqual(expect.arrayContaining(['en', 'fr']));
    }
  });

  it('captions added to a published title make a revision, and an edge downloads only its new files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-e2e-revision-'));
    try {
      const film = {
        name: 'Second Draft',
        synopsis: 'Subtitled later.',
        genres: ['drama'],
        year: 2026,
        maturityRating: 'all',
      };
      const { titleId: draft } = (await send('POST', '/titles', JSON.stringify(film))) as { titleId: string };
      const clip = await makeClip(join(dir, 'film.mp4'), { seconds: 12, size: '640x360' });
      await send('PUT', `/titles/${draft}/source`, await readFile(clip), 'video/mp4');
      await eventually(
        '"Second Draft" to be encoded',
        async () => (await content<{ status: string }>(`/titles/${draft}`)).status === 'encoded',
        120_000,
      );
      await send('POST', `/titles/${draft}/publish`, '{}');
      const first = await eventually(
        'the first encoding on every edge',
        async () => {
          const fills = await Promise.all(platform.edgeUrls.map((edge) => heldEncoding(edge, draft)));
          return fills.every((fill) => fill !== undefined) ? fills[0] : undefined;
        },
        120_000,
      );

      await send(
        'PUT',
        `/titles/${draft}/captions/de`,
        makeCaptionsText({ seconds: 12, label: 'Deutsche Zeile' }),
        'text/vtt',
      );
      const revision = await eventually(
        'the revision to be published',
        async () => {
          const { published } = await content<{ published: { encodingId: string } | null }>(`/titles/${draft}`);
          return published && published.encodingId !== first.encodingId ? published.encodingId : undefined;
        },
        120_000,
      );
      const filled = await eventually(
        'the revision on the first edge',
        async () => {
          const status = (await (await fetch(`${platform.edgeUrls[0]}/status`)).json()) as { recentFills?: Fill[] };
          return status.recentFills?.find((fill) => fill.titleId === draft && fill.encodingId === revision);
        },
        120_000,
      );
      const indexFile = join(platform.dataDir, 'origin', draft, revision, 'index.json');
      const index = JSON.parse(await readFile(indexFile, 'utf8')) as {
        files: { path: string; size: number }[];
        totalBytes: number;
      };
      const changed = index.files.filter((file) => /^(captions-|manifest\.mpd|master\.m3u8)/.test(file.path));
      const changedBytes = changed.reduce((total, file) => total + file.size, 0);
      console.log(
        `revision ${revision}: ${index.totalBytes} bytes in ${index.files.length} files; the edge downloaded ` +
          `${filled.downloadedBytes} and reused ${filled.reusedBytes} (the new and changed files are ${changedBytes})`,
      );
      expect(filled.reusedBytes).toBeGreaterThan(0);
      // The index itself comes on top of the files it lists.
      expect(filled.downloadedBytes).toBeLessThanOrEqual(changedBytes + 64 * 1024);
      expect(filled.downloadedBytes + filled.reusedBytes).toBeGreaterThanOrEqual(index.totalBytes);
      // A viewer mid-way through the first encoding finishes it: the edge still serves it.
      expect(await heldEncoding(platform.edgeUrls[0] as string, draft, first.encodingId)).toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 420_000);
});

type HeldPackage = { titleId: string; encodingId: string };
type Fill = HeldPackage & { downloadedBytes: number; reusedBytes: number };

/** The package of a title an edge's GET /status lists as held (the given encoding, or any). */
const heldEncoding = async (edgeUrl: string, titleId: string, encodingId?: string) => {
  const status = (await (await fetch(`${edgeUrl}/status`)).json()) as { held?: HeldPackage[] };
  return (status.held ?? []).find(
    (entry) => entry.titleId === titleId && (encodingId === undefined || entry.encodingId === encodingId),
  );
};
