/**
 * A title with two audio languages in its source, captions and seek previews, packaged, read back
 * by a client the project did not write (ffmpeg, over HTTP as a player fetches it), then revised
 * with a French audio file and new captions without touching its video.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { promisify } from 'node:util';
import type { PackageTracks } from '@marquee/domain';
import { readPackageIndex, verifyPackage } from '@marquee/platform';
import { makeClip } from '@marquee/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EncodedPackage, encodePackage } from '../../src/encoding/encode-package';
import { probeSource } from '../../src/encoding/probe-source';
import { revisePackage } from '../../src/encoding/revise-package';

const run = promisify(execFile);
const seconds = 8;

let work: string;
let origin: string;
let server: Server;
let baseUrl: string;
let encoded: EncodedPackage;
const at = (...parts: string[]) => join(work, ...parts);
const packageDir = (encodingId: string) => join(origin, 't', encodingId);

const englishCaptions =
  'WEBVTT\n\n00:00:00.500 --> 00:00:03.000\nHello there\n\n00:00:04.000 --> 00:00:07.000\nGoodbye\n';
const frenchCaptions = 'WEBVTT\n\n00:00:00.500 --> 00:00:03.000\nBonjour\n';

/** The package folder over HTTP, as an edge serves it: ffmpeg's DASH reader opens sidecar .vtt files only over HTTP. */
const serve = (root: string) =>
  new Promise<Server>((resolve) => {
    const http = createServer((request, response) => {
      const path = normalize(join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)));
      if (!path.startsWith(root)) return void response.writeHead(403).end();
      stat(path).then(
        ({ size }) => {
          response.writeHead(200, { 'content-length': size });
          createReadStream(path).pipe(response);
        },
        () => response.writeHead(404).end(),
      );
    });
    http.listen(0, '127.0.0.1', () => resolve(http));
  });

type ProbedStream = { index: number; codec_type: string; codec_name: string; tags?: { language?: string } };

/** Every stream ffprobe finds behind a manifest or master, once each, as "type codec language". */
const streamsBehind = async (url: string, options: string[] = []) => {
  const { stdout } = await run('ffprobe', ['-v', 'error', ...options, '-show_streams', '-of', 'json', url]);
  const streams = (JSON.parse(stdout) as { streams: ProbedStream[] }).streams;
  return [...new Map(streams.map((stream) => [stream.index, stream])).values()]
    .map((stream) => `${stream.codec_type} ${stream.codec_name} ${stream.tags?.language ?? '-'}`)
    .toSorted();
};

/** A Representation's segments as its SegmentTimeline says them, in seconds, and its timescale. */
const timelineOf = (mpd: string, id: string) => {
  const representation =
    new RegExp(`<Representation\\b[^>]*\\sid="${id}"[\\s\\S]*?</Representation>`).exec(mpd)?.[0] ?? '';
  const timescale = Number(/\stimescale="(\d+)"/.exec(representation)?.[1]);
  const starts: number[] = [];
  let t = 0;
  for (const [entry] of representation.matchAll(/<S\b[^>]*>/g)) {
    const attribute = (name: string) => new RegExp(`\\s${name}="(\\d+)"`).exec(entry)?.[1];
    t = Number(attribute('t') ?? t);
    for (let repeat = 0; repeat <= Number(attribute('r') ?? 0); repeat++) {
      starts.push(t / timescale);
      t += Number(attribute('d'));
    }
  }
  return { timescale, starts, end: t / timescale };
};

/** Each segment's EXTINF seconds in an HLS media playlist. */
const extinfsOf = (playlist: string) =>
  [...playlist.matchAll(/^#EXTINF:([\d.]+),/gm)].map(([, value]) => Number(value));

type BitRates = { peak: number; average: number };

/**
 * RFC 8216 4.1, worked out here from the folder: a media playlist's peak segment bit rate (that of
 * the heaviest run of segments lasting 0.5 to 1.5 target durations) and its average, each segment
 * file's size over its EXTINF.
 */
const segmentBitRatesOf = async (dir: string, playlist: string): Promise<BitRates> => {
  const text = await readFile(join(dir, playlist), 'utf8');
  const target = Number(/^#EXT-X-TARGETDURATION:(\d+)$/m.exec(text)?.[1]);
  const segments = await Promise.all(
    [...text.matchAll(/^#EXTINF:([\d.]+),\n(segment-.+)$/gm)].map(async ([, seconds, file = '']) => ({
      seconds: Number(seconds),
      bits: (await stat(join(dir, file))).size * 8,
    })),
  );
  expect(segments.length).toBeGreaterThan(1);
  let peak = 0;
  for (const [first] of segments.entries()) {
    const run = { bits: 0, seconds: 0 };
    for (const segment of segments.slice(first)) {
      run.bits += segment.bits;
      run.seconds += segment.seconds;
      if (run.seconds >= 0.5 * target && run.seconds <= 1.5 * target) peak = Math.max(peak, run.bits / run.seconds);
    }
  }
  const total = segments.reduce((sum, segment) => ({
    bits: sum.bits + segment.bits,
    seconds: sum.seconds + segment.seconds,
  }));
  return { peak, average: total.bits / total.seconds };
};

/** Each variant of a package's master: the bit rates it declares, and those of its video plus the heaviest audio rendition. */
const variantBitRates = async (encodingId: string) => {
  const dir = packageDir(encodingId);
  const master = await readFile(join(dir, 'master.m3u8'), 'utf8');
  const audio = await Promise.all(
    [...master.matchAll(/^#EXT-X-MEDIA:TYPE=AUDIO,.*URI="([^"]+)"$/gm)].map(([, file = '']) =>
      segmentBitRatesOf(dir, file),
    ),
  );
  expect(audio.length).toBeGreaterThan(1);
  return Promise.all(
    [...master.matchAll(/^#EXT-X-STREAM-INF:(.*)\n(.+)$/gm)].map(async ([, attributes = '', playlist = '']) => {
      const video = await segmentBitRatesOf(dir, playlist);
      return {
        playlist,
        declared: {
          peak: Number(/(?:^|,)BANDWIDTH=(\d+)/.exec(attributes)?.[1]),
          average: Number(/,AVERAGE-BANDWIDTH=(\d+)/.exec(attributes)?.[1]),
        },
        measured: {
          peak: video.peak + Math.max(...audio.map((rates) => rates.peak)),
          average: video.average + Math.max(...audio.map((rates) => rates.average)),
        },
      };
    }),
  );
};

/** Each variant declares the bit rates its segments have, rounded up: never less, nor more than the rounding. */
const expectVariantsAtTheirSegmentBitRates = async (encodingId: string) => {
  const variants = await variantBitRates(encodingId);
  expect(variants.map((variant) => variant.playlist)).toEqual(['media-v240.m3u8', 'media-v360.m3u8']);
  for (const { playlist, declared, measured } of variants) {
    for (const rate of ['peak', 'average'] as const) {
      expect(declared[rate], `${playlist} ${rate}`).toBeGreaterThanOrEqual(measured[rate]);
      expect(declared[rate], `${playlist} ${rate}`).toBeLessThan(measured[rate] + 2);
    }
  }
};

const sha256ByPath = async (encodingId: string) =>
  new Map((await readPackageIndex(packageDir(encodingId))).index.files.map((file) => [file.path, file.sha256]));

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'package-tracks-'));
  origin = at('origin');
  // Two tones of different pitch, tagged as ISO 639-2 tags are in the wild.
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440', '-f', 'lavfi', '-i', 'sine=frequency=660'],
    ...['-map', '0', '-map', '1', '-map', '2', '-t', String(seconds)],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
    ...['-metadata:s:a:0', 'language=eng', '-metadata:s:a:1', 'language=fre'],
    at('source.mp4'),
  ]);
  // At another sample rate than the source's, in MPEG-TS, whose timestamps start at 1.4 s.
  await makeClip(at('french-dub.ts'), { seconds, toneHz: 880, sampleRate: 48000 });
  await writeFile(at('en.vtt'), englishCaptions);
  await writeFile(at('fr.vtt'), frenchCaptions);

  encoded = await encodePackage({
    sourcePath: at('source.mp4'),
    originDir: origin,
    titleId: 't',
    encodingId: 'e1',
    captions: [{ language: 'en', path: at('en.vtt'), sha256: 'e'.repeat(64) }],
  });
  server = await serve(origin);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/t`;
});
afterAll(async () => {
  server?.close();
  await rm(work, { recursive: true, force: true });
});

const sets = (mpd: string) =>
  [...mpd.matchAll(/<AdaptationSet([^>]*)>([\s\S]*?)<\/AdaptationSet>/g)].map(([, tag = '', body = '']) => ({
    tag,
    body,
  }));

describe('a package with two audio languages, captions and seek previews', () => {
  it('probes each audio stream of the source with its language', async () => {
    const probe = await probeSource(at('source.mp4'), 'ffprobe');
    expect(probe.audioStreams).toEqual([
      { codec: 'aac', language: 'en', channels: 1 },
      { codec: 'aac', language: 'fr', channels: 1 },
    ]);
  });

  it('says what it carries', () => {
    expect(encoded.tracks).toEqual({
      audio: [
        { language: 'en', trackId: null },
        { language: 'fr', trackId: null },
      ],
      captions: [{ language: 'en', sha256: 'e'.repeat(64) }],
      thumbnails: { intervalSeconds: 1, columns: 5, rows: 5, tileWidth: 160, tileHeight: 90 },
    } satisfies PackageTracks);
  });

  it('has an audio set per language, a text set and a thumbnail set in its manifest', async () => {
    const [video, english, french, captions, thumbnails, ...others] = sets(
      await readFile(join(packageDir('e1'), 'manifest.mpd'), 'utf8'),
    );
    expect(others).toEqual([]);
    expect(video?.tag).toContain('contentType="video"');
    expect(english?.tag).toMatch(/contentType="audio".* lang="en"/);
    expect(english?.body).toContain('<Label>English</Label>');
    expect(english?.body).toContain('<Role schemeIdUri="urn:mpeg:dash:role:2011" value="main"/>');
    expect(english?.body).toContain('<Representation id="a0"');
    expect(french?.tag).toMatch(/contentType="audio".* lang="fr"/);
    expect(french?.body).toContain('<Label>French</Label>');
    expect(french?.body).toContain('<Representation id="a1"');
    expect(captions?.tag).toMatch(/contentType="text" mimeType="text\/vtt" lang="en"/);
    expect(captions?.body).toContain('<BaseURL>captions-en.vtt</BaseURL>');
    expect(thumbnails?.tag).toMatch(/contentType="image" mimeType="image\/jpeg"/);
    expect(thumbnails?.body).toContain('duration="25"');
    expect(thumbnails?.body).toContain('width="800" height="450"');

    const files = await readdir(packageDir('e1'));
    expect(files).toEqual(expect.arrayContaining(['captions-en.vtt', 'captions-en.m3u8', 'thumbnails-1.jpg']));
    expect(files.filter((file) => file.startsWith('thumbnails-'))).toEqual(['thumbnails-1.jpg']);
    expect(await readFile(join(packageDir('e1'), 'captions-en.vtt'), 'utf8')).toBe(englishCaptions);
    const { stdout } = await run('ffprobe', [
      ...['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0'],
      join(packageDir('e1'), 'thumbnails-1.jpg'),
    ]);
    expect(stdout.trim()).toBe('800,450');
    expect(await verifyPackage(packageDir('e1'))).toEqual([]);
  });

  it('has audio and subtitles renditions and the image stream in its HLS master', async () => {
    const master = await readFile(join(packageDir('e1'), 'master.m3u8'), 'utf8');
    const lines = master.split('\n');
    expect(lines.filter((line) => line.startsWith('#EXT-X-MEDIA:'))).toEqual([
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="media-a0.m3u8"',
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="French",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="media-a1.m3u8"',
      '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,URI="captions-en.m3u8"',
    ]);
    const variants = lines.filter((line) => line.startsWith('#EXT-X-STREAM-INF:'));
    expect(variants).toHaveLength(2);
    for (const variant of variants) expect(variant).toMatch(/,AUDIO="audio",SUBTITLES="subs"$/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^#EXT-X-IMAGE-STREAM-INF:BANDWIDTH=\d+,RESOLUTION=160x90,CODECS="jpeg",URI="thumbnails.m3u8"$/,
      ),
    );
    const images = await readFile(join(packageDir('e1'), 'thumbnails.m3u8'), 'utf8');
    expect(images).toContain('#EXT-X-IMAGES-ONLY');
    expect(images).toContain('#EXT-X-TILES:RESOLUTION=160x90,LAYOUT=5x5,DURATION=1\nthumbnails-1.jpg');
    expect(await readFile(join(packageDir('e1'), 'captions-en.m3u8'), 'utf8')).toContain(
      '\ncaptions-en.vtt\n#EXT-X-ENDLIST',
    );
  });

  it("tells a player each variant's peak and average bit rate: its video's segments plus the heaviest audio rendition's", async () => {
    await expectVariantsAtTheirSegmentBitRates('e1');
  });

  const everyStream = ['audio aac en', 'audio aac fr', 'subtitle webvtt en', 'video h264 -', 'video h264 -'];

  it('is read whole by ffmpeg from the DASH manifest: video, both languages and the captions', async () => {
    expect(await streamsBehind(`${baseUrl}/e1/manifest.mpd`)).toEqual(everyStream);
  });

  it('is read whole by ffmpeg from the HLS master (whose subtitles reader ffmpeg 5.1 calls experimental)', async () => {
    expect(await streamsBehind(`${baseUrl}/e1/master.m3u8`, ['-strict', 'experimental'])).toEqual(everyStream);
  });
});

describe('a revision adding a French audio file and replacing the captions', () => {
  let revision: EncodedPackage;
  const revise = () =>
    revisePackage({
      originDir: origin,
      titleId: 't',
      baseEncodingId: 'e1',
      encodingId: 'e2',
      audioTracks: [{ trackId: 'dub-fr', language: 'fr', path: at('french-dub.ts') }],
      captions: [{ language: 'fr', path: at('fr.vtt'), sha256: 'f'.repeat(64) }],
    });

  beforeAll(async () => {
    revision = await revise();
  });

  it('keeps the video and every unchanged file byte for byte, as hard links of the base', async () => {
    const base = await sha256ByPath('e1');
    const revised = await sha256ByPath('e2');
    const unchanged = [...base.keys()].filter((path) =>
      /^(init|segment|media)-(v\d+|a[01])[-.]|^poster|^thumbnails/.test(path),
    );
    expect(unchanged.filter((path) => path.startsWith('segment-v')).length).toBeGreaterThanOrEqual(4);
    for (const path of unchanged) expect([path, revised.get(path)]).toEqual([path, base.get(path)]);
    for (const path of unchanged) {
      const [before, after] = await Promise.all([
        stat(join(packageDir('e1'), path)),
        stat(join(packageDir('e2'), path)),
      ]);
      expect([path, after.ino]).toEqual([path, before.ino]);
    }
    expect(revision.ladder).toEqual(encoded.ladder);
    expect(await verifyPackage(packageDir('e2'))).toEqual([]);
  });

  it('adds the new track after the source streams and swaps the captions', async () => {
    expect(revision.tracks).toEqual({
      audio: [
        { language: 'en', trackId: null },
        { language: 'fr', trackId: null },
        { language: 'fr', trackId: 'dub-fr' },
      ],
      captions: [{ language: 'fr', sha256: 'f'.repeat(64) }],
      thumbnails: encoded.tracks.thumbnails,
    });
    const files = await readdir(packageDir('e2'));
    expect(files).toEqual(
      expect.arrayContaining([
        'init-a2.m4s',
        'media-a2.m3u8',
        'segment-a2-00001.m4s',
        'captions-fr.vtt',
        'captions-fr.m3u8',
      ]),
    );
    expect(files.filter((file) => file.startsWith('captions-en'))).toEqual([]);
    const master = await readFile(join(packageDir('e2'), 'master.m3u8'), 'utf8');
    expect(master).toContain(
      // The source's French track is the one a player choosing by language takes.
      'NAME="French 2",LANGUAGE="fr",DEFAULT=NO,AUTOSELECT=NO,CHANNELS="2",URI="media-a2.m3u8"',
    );
    expect(master).toContain('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="French",LANGUAGE="fr"');
    expect(master).not.toContain('captions-en');
    expect(await readFile(join(packageDir('e2'), 'manifest.mpd'), 'utf8')).toContain(
      '<Role schemeIdUri="urn:mpeg:dash:role:2011" value="dub"/>',
    );
  });

  it("cuts the new track's segments where the video's are cut, within one AAC frame", async () => {
    const mpd = await readFile(join(packageDir('e2'), 'manifest.mpd'), 'utf8');
    const [rung] = revision.ladder;
    const videoId = `v${rung?.height}`;
    const video = timelineOf(mpd, videoId);
    const added = timelineOf(mpd, 'a2');
    expect(added.timescale).toBe(48000);
    const aacFrame = 1024 / added.timescale;
    expect(video.starts.length).toBe(seconds / 4);
    expect(added.starts.length).toBe(video.starts.length);
    for (const [index, start] of added.starts.entries()) {
      expect(Math.abs(start - (video.starts[index] ?? Number.NaN))).toBeLessThanOrEqual(aacFrame);
    }
    expect(Math.abs(added.end - video.end)).toBeLessThanOrEqual(aacFrame);

    const read = (file: string) => readFile(join(packageDir('e2'), file), 'utf8');
    const videoDurations = extinfsOf(await read(`media-${videoId}.m3u8`));
    const addedDurations = extinfsOf(await read('media-a2.m3u8'));
    expect(addedDurations.length).toBe(videoDurations.length);
    for (const [index, duration] of addedDurations.entries()) {
      expect(Math.abs(duration - (videoDurations[index] ?? Number.NaN))).toBeLessThanOrEqual(aacFrame);
    }
  });

  it('gives each variant the bit rates of the segments it now plays with', async () => {
    await expectVariantsAtTheirSegmentBitRates('e2');
  });

  it('is read whole by ffmpeg, the new audio track included', async () => {
    const streams = [
      'audio aac en',
      'audio aac fr',
      'audio aac fr',
      'subtitle webvtt fr',
      'video h264 -',
      'video h264 -',
    ];
    expect(await streamsBehind(`${baseUrl}/e2/manifest.mpd`)).toEqual(streams);
    expect(await streamsBehind(`${baseUrl}/e2/master.m3u8`, ['-strict', 'experimental'])).toEqual(streams);
  });

  it('is the same revision when its job runs again', async () => {
    expect(await revise()).toEqual(revision);
  });
});
