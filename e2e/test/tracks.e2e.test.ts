/*
 * A title in two languages with subtitles, as viewers and standard clients meet it. The demo
 * seed made "Two Voices": a source with an English and a French audio stream (tagged eng and
 * fre), and English and French captions uploaded before it, so its first package carries them.
 * A viewer sees a caption cue, switches to French without a restart, and sees the frame under
 * the pointer on the seek bar; a profile set to French starts in French, and so does the next
 * play of a viewer who picked French while watching. ffmpeg finds every stream in the DASH
 * manifest and the HLS master; hls.js on a bare page finds both languages and switches audio as
 * it plays. Captions added to a published title make a revision that the edges fill with only
 * its new files, as the origin counts what it sent them (a title made here, so the demo title
 * stays as the other tests expect it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore, originPathwayId } from '@marquee/platform';
import { launchChromium, makeCaptionsText, makeClip } from '@marquee/platform/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTitles } from '../../scripts/seed-demo';
import {
  type ApiViewer,
  type BarePlayerServer,
  probeStreams,
  serveBarePlayer,
  signUp,
  signUpThroughApi,
  startBarePlayer,
  startPlaybackThroughApi,
  stopPlaybackThroughApi,
  videoFacts,
  waitForBarePlayback,
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

  it("a viewer's pick while watching is kept: the next play starts in French audio, with French captions", async () => {
    // A viewer of their own, so the profiles above stay as they are.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const viewerPage = await context.newPage();
    const seen: string[] = [];
    viewerPage.on('request', (request) => seen.push(request.url()));
    try {
      await signUp(viewerPage, platform.playerUrl, 'standard', 'Dominique');
      await viewerPage.goto(`${platform.playerUrl}/title/${titleId}`);
      await viewerPage.getByTestId('play-button').click();
      await viewerPage.waitForURL(`**/watch/${titleId}`);
      await waitForPlaybackPast(viewerPage, 1, 30_000);
      expect([...audioFetched(seen, 0)]).toEqual(['a0']);
      for (const option of ['audio-option-fr', 'captions-option-fr']) {
        const saved = viewerPage.waitForResponse(
          (response) => response.request().method() === 'PUT' && /\/languages$/.test(new URL(response.url()).pathname),
        );
        await viewerPage.getByTestId(option).click();
        expect((await saved).ok(), `the command API keeping the pick of ${option}`).toBe(true);
      }
      await viewerPage.getByTestId('stop-button').click();
      await viewerPage.getByTestId('playback-stopped').waitFor();
      // The profiles page reads the picks back from the query API once its view has them.
      await eventually(
        'the picks on the profiles page',
        async () => {
          await viewerPage.goto(`${platform.playerUrl}/profiles`);
          const audio = viewerPage.getByTestId('profile-audio-language').last();
          const captions = viewerPage.getByTestId('profile-caption-language').last();
          return (await audio.inputValue()) === 'fr' && (await captions.inputValue()) === 'fr';
        },
        15_000,
      );

      const since = seen.length;
      await viewerPage.goto(`${platform.playerUrl}/title/${titleId}`);
      await viewerPage.getByTestId('play-button').click();
      await viewerPage.waitForURL(`**/watch/${titleId}`);
      const again = await waitForPlaybackPast(viewerPage, 2, 30_000);
      const fetched = [...audioFetched(seen, since)];
      const cues = await eventually(
        'a French caption cue on screen',
        async () => {
          const shown = await shownCues(viewerPage);
          return shown.some((cue) => /^Ligne française \d+$/.test(cue)) ? shown : undefined;
        },
        15_000,
      );
      console.log(
        `played again after picking French: audio ${fetched.join(', ')} by ${again.currentTime.toFixed(1)} s, ` +
          `caption on screen: ${JSON.stringify(cues)}`,
      );
      expect(fetched).toEqual(['a1']);
      await saveScreenshot(viewerPage, 'pick-kept-in-french');
      await viewerPage.getByTestId('stop-button').click();
      await viewerPage.getByTestId('playback-stopped').waitFor();
    } finally {
      await context.close();
    }
  });
});

describe('standard clients, and a revision on the edges', () => {
  let viewer: ApiViewer;
  let server: BarePlayerServer;
  const sessions: string[] = [];
  beforeAll(async () => {
    [viewer, server] = await Promise.all([signUpThroughApi(platform.commandApiUrl, 'standard'), serveBarePlayer()]);
  });
  afterAll(async () => {
    for (const sessionId of sessions) await stopPlaybackThroughApi(viewer, sessionId).catch(() => {});
    await server?.close();
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

  it('hls.js on a bare page finds both audio languages and both subtitles, and switches to French as it plays', async () => {
    const answer = await startPlaybackThroughApi(viewer, titleId);
    sessions.push(answer.sessionId);
    const bare = await startBarePlayer(browser, server, 'hls.js', answer.manifests[0]?.hls as string);
    const fetched: string[] = [];
    bare.on('request', (request) => fetched.push(request.url()));
    try {
      const before = await waitForBarePlayback(bare, 1, 30_000);
      const tracks = await bare.evaluate(() => {
        type Track = { lang?: string; name: string };
        const hls = (window as unknown as { __hls: { audioTracks: Track[]; subtitleTracks: Track[] } }).__hls;
        const listed = (list: Track[]) => list.map((track) => ({ language: track.lang ?? null, name: track.name }));
        return { audio: listed(hls.audioTracks), subtitles: listed(hls.subtitleTracks) };
      });
      console.log(`hls.js tracks: ${JSON.stringify(tracks)}`);
      expect(tracks.audio.map((track) => track.language)).toEqual(['en', 'fr']);
      expect(tracks.subtitles.map((track) => track.language)).toEqual(['en', 'fr']);

      const since = fetched.length;
      const french = tracks.audio.findIndex((track) => track.language === 'fr');
      await bare.evaluate((index) => {
        (window as unknown as { __hls: { audioTrack: number } }).__hls.audioTrack = index;
      }, french);
      await eventually(
        'hls.js to fetch French audio segments',
        async () => audioFetched(fetched, since).has('a1'),
        15_000,
      );
      const after = await waitForBarePlayback(bare, before.currentTime + 2, 20_000);
      console.log(
        `hls.js switched to French audio at ${before.currentTime.toFixed(1)} s, playing on at ` +
          `${after.currentTime.toFixed(1)} s; audio fetched after the switch: ${[...audioFetched(fetched, since)].join(', ')}; ` +
          `errors: ${after.errors.join('; ') || 'none'}`,
      );
      expect(after.currentTime).toBeGreaterThan(before.currentTime + 1.5);
      expect(after.fatal).toBeNull();
    } finally {
      await bare.context().close();
    }
  });

  it('captions added to a published title make a revision, and the edges download only its new files', async () => {
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
      const fills = await eventually(
        'the revision on every edge',
        async () => {
          const found = await Promise.all(platform.edgeUrls.map((edge) => recentFill(edge, draft, revision)));
          return found.every((fill) => fill !== undefined) ? (found as Fill[]) : undefined;
        },
        120_000,
      );
      const filledAt = Date.now();
      const revisionDir = join(platform.dataDir, 'origin', draft, revision);
      const indexBytes = (await stat(join(revisionDir, 'index.json'))).size;
      const index = JSON.parse(await readFile(join(revisionDir, 'index.json'), 'utf8')) as {
        files: { path: string; size: number }[];
        totalBytes: number;
      };
      const changed = index.files.filter((file) => /^(captions-|manifest\.mpd|master\.m3u8)/.test(file.path));
      const changedBytes = changed.reduce((total, file) => total + file.size, 0);
      // What the sender counted, not what the edges say they downloaded.
      const sent = await originSentToEdges(revision, filledAt);
      console.log(
        `revision ${revision}: ${index.totalBytes} bytes in ${index.files.length} files, the new and changed ones ` +
          `${changedBytes} (+ ${indexBytes} of index); the origin reports sending the ${fills.length} edges ${sent} ` +
          `bytes of it (the edges report downloading ${fills.map((fill) => fill.downloadedBytes).join(' and ')}, ` +
          `reusing ${fills.map((fill) => fill.reusedBytes).join(' and ')})`,
      );
      expect(sent).toBeGreaterThan(0);
      // Each edge is sent the new and changed files and the index, nothing it already holds.
      expect(sent).toBeLessThanOrEqual(fills.length * (changedBytes + indexBytes));
      expect(sent).toBeLessThan(index.totalBytes / 10);
      // A viewer mid-way through the first encoding finishes it: the edge still serves it.
      expect(await heldEncoding(platform.edgeUrls[0] as string, draft, first.encodingId)).toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 420_000);
});

/**
 * The bytes of an encoding the origin reports sending edges (its ServingReported events, rows
 * from fill tokens), once the telemetry interval holding `after` is closed and in the log.
 */
const originSentToEdges = async (encodingId: string, after: number) => {
  const originTelemetry = async () =>
    ((await (await fetch(`${platform.originUrl}/status`)).json()) as { telemetry: ServingTelemetry }).telemetry;
  const intervalMs = (await originTelemetry()).intervalSeconds * 1000;
  // Closed within a second of its end (the reporter's tick), then appended.
  const reportedBy = (Math.floor(after / intervalMs) + 1) * intervalMs + 2_000;
  await eventually(
    "the origin's serving telemetry for the interval of the fill",
    async () => Date.now() >= reportedBy && (await originTelemetry()).pendingIntervals === 0,
    intervalMs + 60_000,
  );
  const store = await openEventStore(process.env.EVENT_STORE_URL ?? `sqlite:${join(platform.dataDir, 'events.db')}`);
  try {
    let bytes = 0;
    for await (const event of store.readStream(`serving-${originPathwayId}`)) {
      const { rows } = event.data as { rows: { encodingId: string; client: string; bytes: number }[] };
      for (const row of rows) if (row.encodingId === encodingId && row.client === 'edge') bytes += row.bytes;
    }
    return bytes;
  } finally {
    await store.close();
  }
};

type ServingTelemetry = { intervalSeconds: number; pendingIntervals: number };
type HeldPackage = { titleId: string; encodingId: string };
type Fill = HeldPackage & { downloadedBytes: number; reusedBytes: number };

/** The package of a title an edge's GET /status lists as held (the given encoding, or any). */
const heldEncoding = async (edgeUrl: string, titleId: string, encodingId?: string) => {
  const status = (await (await fetch(`${edgeUrl}/status`)).json()) as { held?: HeldPackage[] };
  return (status.held ?? []).find(
    (entry) => entry.titleId === titleId && (encodingId === undefined || entry.encodingId === encodingId),
  );
};

/** An edge's report of filling that package, from GET /status, if it lists it among its recent fills. */
const recentFill = async (edgeUrl: string, titleId: string, encodingId: string) => {
  const status = (await (await fetch(`${edgeUrl}/status`)).json()) as { recentFills?: Fill[] };
  return status.recentFills?.find((fill) => fill.titleId === titleId && fill.encodingId === encodingId);
};
