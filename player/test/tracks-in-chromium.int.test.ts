/**
 * The watch page's track menus and seek bar, and the track wiring under them, in real Chromium
 * with the real dash.js, on a package shaped as the encoder writes it (two audio languages with
 * Role and Label, WebVTT sidecar captions, a DASH-IF thumbnail sprite, an HLS image playlist),
 * made by ffmpeg at test time: playback starts in the profile's languages, a caption cue is on
 * screen, a pick in the menus switches audio in place, and hovering the seek bar shows the frame
 * under the pointer, with dash.js and with Chromium's own HLS player (as Safari plays it).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, launchChromium, type Page } from '@marquee/platform/testing';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlayerTracks } from '../src/app/watch/dash-tracks';

const run = promisify(execFile);
const pageDir = join(import.meta.dirname, 'tracks-page');
let work: string;
let server: Server;
let origin: string;
let browser: Browser;

const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.mpd': 'application/dash+xml',
  '.m4s': 'video/iso.segment',
  '.vtt': 'text/vtt',
  '.jpg': 'image/jpeg',
  '.m3u8': 'application/vnd.apple.mpegurl',
};

/**
 * The package: ffmpeg's DASH (and HLS over the same segments) of a 20 s pattern with an English
 * and a French tone, given the encoder's track markup; a manifest and a master without seek
 * previews beside them.
 */
const makePackage = async (folder: string) => {
  await mkdir(folder, { recursive: true });
  const lavfi = (source: string) => ['-f', 'lavfi', '-i', source];
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error'],
    ...lavfi('testsrc2=size=640x360:rate=25:duration=20'),
    ...lavfi('sine=frequency=440:duration=20'),
    ...lavfi('sine=frequency=880:duration=20'),
    ...['-map', '0:v', '-map', '1:a', '-map', '2:a'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '50', '-sc_threshold', '0'],
    ...['-c:a', 'aac', '-b:a', '64k'],
    ...['-f', 'dash', '-seg_duration', '2', '-use_template', '1', '-use_timeline', '0', '-hls_playlist', '1'],
    ...['-adaptation_sets', 'id=0,streams=v id=1,streams=1 id=2,streams=2'],
    join(folder, 'manifest.mpd'),
  ]);
  // One frame every 5 s, 2×2 tiles of 160×90: the whole 20 s in one sprite.
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error'],
    ...lavfi('testsrc2=size=640x360:rate=25:duration=20'),
    ...['-vf', 'fps=1/5,scale=160:90,tile=2x2', '-frames:v', '1'],
    join(folder, 'thumbnails-1.jpg'),
  ]);
  const audioSet = (id: string, lang: string, role: string, label: string) =>
    `<AdaptationSet id="${id}" contentType="audio" lang="${lang}"><Role schemeIdUri="urn:mpeg:dash:role:2011" value="${role}"/><Label>${label}</Label>`;
  const captionsSet = (lang: string, label: string) =>
    `<AdaptationSet contentType="text" mimeType="text/vtt" lang="${lang}"><Role schemeIdUri="urn:mpeg:dash:role:2011" value="subtitle"/><Label>${label}</Label><Representation id="captions-${lang}" bandwidth="256"><BaseURL>captions-${lang}.vtt</BaseURL></Representation></AdaptationSet>`;
  const thumbnails =
    '<AdaptationSet contentType="image" mimeType="image/jpeg"><SegmentTemplate media="thumbnails-$Number$.jpg" timescale="1" duration="20" startNumber="1"/><Representation id="thumbnails" bandwidth="10000" width="320" height="180"><EssentialProperty schemeIdUri="http://dashif.org/thumbnail_tile" value="2x2"/></Representation></AdaptationSet>';
  const manifest = (await readFile(join(folder, 'manifest.mpd'), 'utf8'))
    .replace(/<AdaptationSet id="1" contentType="audio"[^>]*>/, audioSet('1', 'en', 'main', 'English'))
    .replace(/<AdaptationSet id="2" contentType="audio"[^>]*>/, audioSet('2', 'fr', 'dub', 'French'))
    .replace('</Period>', `${captionsSet('en', 'English')}${captionsSet('de', 'German')}${thumbnails}</Period>`);
  await writeFile(join(folder, 'manifest.mpd'), manifest);
  await writeFile(join(folder, 'manifest-without-previews.mpd'), manifest.replace(thumbnails, ''));
  // The image stream and playlist as the encoder writes them (package-manifest-tracks.ts).
  const master = await readFile(join(folder, 'master.m3u8'), 'utf8');
  await writeFile(join(folder, 'master-without-previews.m3u8'), master);
  await writeFile(
    join(folder, 'master.m3u8'),
    `${master.trimEnd()}\n\n#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=10000,RESOLUTION=160x90,CODECS="jpeg",URI="thumbnails.m3u8"\n`,
  );
  await writeFile(
    join(folder, 'thumbnails.m3u8'),
    [
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      '#EXT-X-TARGETDURATION:20',
      '#EXT-X-MEDIA-SEQUENCE:1',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#EXT-X-IMAGES-ONLY',
      '#EXTINF:20.000,',
      '#EXT-X-TILES:RESOLUTION=160x90,LAYOUT=2x2,DURATION=5',
      'thumbnails-1.jpg',
      '#EXT-X-ENDLIST',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(folder, 'captions-en.vtt'),
    'WEBVTT\n\n00:00:00.000 --> 00:00:20.000\nHello from the captions\n',
  );
  await writeFile(
    join(folder, 'captions-de.vtt'),
    'WEBVTT\n\n00:00:00.000 --> 00:00:20.000\nHallo aus den Untertiteln\n',
  );
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'marquee-tracks-'));
  const site = join(work, 'site');
  await build({
    configFile: false,
    root: pageDir,
    plugins: [svelte()],
    logLevel: 'silent',
    build: { outDir: site, emptyOutDir: true, target: 'es2022', sourcemap: false },
  });
  await makePackage(join(site, 'media'));
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    try {
      const body = await readFile(join(site, path === '/' ? 'index.html' : path));
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  if (work) await rm(work, { recursive: true, force: true });
});

type Shown = {
  currentTime: number;
  source: string;
  paused: boolean;
  audio: string | null;
  tracks: PlayerTracks | undefined;
  /** The text tracks the browser draws ("showing") and their active cues. */
  cues: { language: string; mode: string; active: string[] }[];
};

const shown = (page: Page): Promise<Shown> =>
  page.evaluate(() => {
    const video = document.querySelector('video') as HTMLVideoElement;
    const state = (
      window as unknown as {
        tracksPage: { player: { getCurrentTrackFor: (t: string) => { lang: string } | null }; seen: PlayerTracks[] };
      }
    ).tracksPage;
    return {
      currentTime: video.currentTime,
      source: video.src,
      paused: video.paused,
      audio: state.player.getCurrentTrackFor('audio')?.lang ?? null,
      tracks: state.seen.at(-1),
      cues: Array.from(video.textTracks, (track) => ({
        language: track.language,
        mode: track.mode,
        active: Array.from(track.activeCues ?? [], (cue) => (cue as VTTCue).text),
      })),
    };
  });

const watch = async (query: string) => {
  const page = await browser.newPage({ viewport: { width: 640, height: 640 } });
  await page.goto(`${origin}/index.html?${query}`);
  await page.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).currentTime > 1, null, {
    timeout: 30_000,
  });
  return page;
};

describe('tracks in Chromium with dash.js', () => {
  it("starts in the profile's audio and caption languages, with the cue on screen", async () => {
    const page = await watch('audio=fr&captions=de');
    const now = await shown(page);
    expect(now.audio).toBe('fr');
    expect(now.tracks).toMatchObject({
      audio: [
        { language: 'en', label: 'English', main: true },
        { language: 'fr', label: 'French', main: false },
      ],
      captions: [{ language: 'en' }, { language: 'de' }],
    });
    expect(now.tracks?.audio.find((track) => track.id === now.tracks?.audioId)?.language).toBe('fr');
    // The browser draws the showing track's active cues over the video.
    expect(now.cues.filter((track) => track.mode === 'showing')).toEqual([
      { language: 'de', mode: 'showing', active: ['Hallo aus den Untertiteln'] },
    ]);
    await page.close();
  }, 60_000);

  it('starts in the main audio with captions off for a profile without languages; picks in the menus switch in place', async () => {
    const page = await watch('');
    const before = await shown(page);
    expect(before.audio).toBe('en');
    expect(before.cues.filter((track) => track.mode === 'showing')).toEqual([]);
    expect(await page.getAttribute('[data-testid="audio-option-en"]', 'aria-pressed')).toBe('true');
    expect(await page.getAttribute('[data-testid="captions-option-off"]', 'aria-pressed')).toBe('true');

    await page.click('[data-testid="audio-option-fr"]');
    await page.click('[data-testid="captions-option-en"]');
    await page.waitForFunction(
      (from) => (document.querySelector('video') as HTMLVideoElement).currentTime > from + 1,
      before.currentTime,
      { timeout: 15_000 },
    );
    const after = await shown(page);
    expect(after.audio).toBe('fr');
    // The same media source, playing on from where it was: no reload, no restart.
    expect(after.source).toBe(before.source);
    expect(after.paused).toBe(false);
    expect(after.currentTime).toBeGreaterThan(before.currentTime);
    expect(after.cues.filter((track) => track.mode === 'showing')).toEqual([
      { language: 'en', mode: 'showing', active: ['Hello from the captions'] },
    ]);
    expect(await page.getAttribute('[data-testid="audio-option-fr"]', 'aria-pressed')).toBe('true');
    expect(await page.getAttribute('[data-testid="captions-option-en"]', 'aria-pressed')).toBe('true');

    await page.click('[data-testid="captions-option-off"]');
    const off = await shown(page);
    expect(off.cues.filter((track) => track.mode === 'showing')).toEqual([]);
    await page.close();
  }, 60_000);
});

const engines = [
  { engine: 'dash.js', query: 'engine=dash', without: 'manifest=manifest-without-previews.mpd' },
  {
    engine: "Chromium's own HLS",
    query: 'engine=hls&manifest=master.m3u8',
    without: 'engine=hls&manifest=master-without-previews.m3u8',
  },
];

describe.each(engines)('the seek bar with $engine', ({ engine, query, without }) => {
  const seekBar = async (page: Page) => {
    await page.waitForFunction(() => (document.querySelector('video') as HTMLVideoElement).duration > 0);
    if (engine !== 'dash.js') {
      // Playing the master itself, as Safari does: no Media Source in between.
      const { canPlay, source } = await page.evaluate(() => {
        const video = document.querySelector('video') as HTMLVideoElement;
        return { canPlay: video.canPlayType('application/vnd.apple.mpegurl'), source: video.src };
      });
      expect(canPlay, 'this Chromium plays HLS itself').not.toBe('');
      expect(source).toMatch(/\/media\/master(-without-previews)?\.m3u8$/);
    }
    const bar = await page.locator('[data-testid="seek-bar"]').boundingBox();
    if (!bar) throw new Error('no seek bar');
    return bar;
  };

  it('shows the frame under the pointer, with its time, while the pointer is on the seek bar', async () => {
    const page = await watch(query);
    const bar = await seekBar(page);
    expect(await page.locator('[data-testid="seek-preview"]').count()).toBe(0);
    // 65% of 20 s: 13 s, the third frame (one every 5 s) of the 2×2 sprite: left column, second row.
    await page.mouse.move(bar.x + bar.width * 0.65, bar.y + bar.height / 2);
    const preview = page.locator('[data-testid="seek-preview"]');
    await preview.waitFor({ state: 'visible', timeout: 5000 });
    expect(await preview.textContent()).toContain('0:13');
    const tile = await preview.locator('.tile').evaluate((element) => {
      const style = getComputedStyle(element);
      return {
        image: style.backgroundImage,
        position: style.backgroundPosition,
        width: style.width,
        height: style.height,
      };
    });
    expect(tile).toEqual({
      image: `url("${origin}/media/thumbnails-1.jpg")`,
      position: '0px -90px',
      width: '160px',
      height: '90px',
    });
    await page.mouse.move(bar.x + bar.width / 2, bar.y - 200);
    await preview.waitFor({ state: 'detached', timeout: 5000 });
    await page.close();
  }, 60_000);

  it('shows nothing under the pointer, no empty box or broken image, when the stream has no previews', async () => {
    const page = await watch(without);
    const bar = await seekBar(page);
    await page.mouse.move(bar.x + bar.width * 0.65, bar.y + bar.height / 2);
    // The engine has answered for that time: there is no tile.
    await page.waitForFunction(
      () => (window as unknown as { tracksPage: { answers: unknown[] } }).tracksPage.answers.length > 0,
    );
    const answers = await page.evaluate(
      () => (window as unknown as { tracksPage: { answers: unknown[] } }).tracksPage.answers,
    );
    expect(answers.every((answer) => answer === null)).toBe(true);
    expect(await page.locator('[data-testid="seek-preview"]').count()).toBe(0);
    expect(await page.locator('img, .tile').count()).toBe(0);
    await page.close();
  }, 60_000);
});
