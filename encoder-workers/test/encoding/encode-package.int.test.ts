import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EncodingProgress, readPackageIndex, verifyPackage } from '@marquee/platform';
import { makeClip } from '@marquee/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncodingError, encodePackage } from '../../src/encoding/encode-package';

// Test media is made at test time: small, so the whole file stays well under a minute on two cores.

let clips: string;
const clip = (name: string) => join(clips, name);
const newOrigin = () => mkdtemp(join(clips, 'origin-'));

beforeAll(async () => {
  clips = await mkdtemp(join(tmpdir(), 'encode-package-'));
  await Promise.all([
    makeClip(clip('main.mp4'), { seconds: 6, size: '640x360' }),
    makeClip(clip('tiny.mp4'), { seconds: 6, size: '160x90', toneHz: null }),
    makeClip(clip('long.mp4'), { seconds: 12, size: '1280x720', toneHz: null }),
    makeClip(clip('sound.m4a'), { seconds: 2 }),
    // Not media, and the same bytes every run: random bytes now and then look like some format.
    writeFile(clip('corrupt.mp4'), Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919) % 256))),
  ]);
});
afterAll(() => rm(clips, { recursive: true, force: true }));

const attributes = (tag: string): Partial<Record<string, string>> =>
  Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map(([, name = '', value = '']) => [name, value]));

/** The MPD's adaptation sets and their representations, with each one's segment timeline. */
const readManifest = (xml: string) =>
  [...xml.matchAll(/<AdaptationSet([^>]*)>([\s\S]*?)<\/AdaptationSet>/g)].map(([, setTag = '', body = '']) => ({
    contentType: attributes(setTag).contentType,
    representations: [...body.matchAll(/<Representation([^>]*)>([\s\S]*?)<\/Representation>/g)].map(
      ([, tag = '', inner = '']) => {
        const { id, width, height, bandwidth, codecs } = attributes(tag);
        const timeline = inner.match(/<SegmentTimeline>[\s\S]*?<\/SegmentTimeline>/)?.[0];
        return { id, width, height, bandwidth, codecs, timeline };
      },
    ),
  }));

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('encodePackage', () => {
  it('packages a title: one DASH manifest and an HLS master over aligned rungs and audio, a poster and a verified index', async () => {
    const origin = await newOrigin();
    const reports: EncodingProgress[] = [];
    const encoded = await encodePackage({
      sourcePath: clip('main.mp4'),
      originDir: origin,
      titleId: 'title-1',
      encodingId: 'enc-1',
      onProgress: (progress) => reports.push(progress),
    });

    expect(encoded.ladder).toEqual([
      { width: 426, height: 240, videoBitrateKbps: 300 },
      { width: 640, height: 360, videoBitrateKbps: 700 },
    ]);
    expect(encoded.manifestPath).toBe('title-1/enc-1/manifest.mpd');
    expect(encoded.posterPath).toBe('title-1/enc-1/poster.jpg');
    expect(encoded.durationSeconds).toBeCloseTo(6, 0);
    expect(encoded.encodeSeconds).toBeGreaterThan(0);

    // The package appeared at its place and nowhere else.
    expect((await readdir(origin)).toSorted()).toEqual(['.partial', 'title-1']);
    expect(await readdir(join(origin, '.partial'))).toEqual([]);
    expect(await readdir(join(origin, 'title-1'))).toEqual(['enc-1']);
    const dir = join(origin, 'title-1', 'enc-1');

    const [video, audio, ...others] = readManifest(await readFile(join(dir, 'manifest.mpd'), 'utf8'));
    // Seek previews are made unless asked not to.
    expect(others.map((set) => set.contentType)).toEqual(['image']);
    expect(video?.contentType).toBe('video');
    expect(video?.representations.map((rep) => [rep.id, rep.height, rep.bandwidth])).toEqual([
      ['v240', '240', '300000'],
      ['v360', '360', '700000'],
    ]);
    expect(audio?.contentType).toBe('audio');
    expect(audio?.representations.map((rep) => [rep.id, rep.codecs])).toEqual([['a0', 'mp4a.40.2']]);

    // Aligned keyframes: every video rung is cut into the same segments at the same times.
    const files = await readdir(dir);
    const segmentCounts = (video?.representations ?? []).map(
      (rep) => files.filter((file) => file.startsWith(`segment-${rep.id}-`) && file.endsWith('.m4s')).length,
    );
    expect(segmentCounts).toEqual([2, 2]);
    expect(new Set(video?.representations.map((rep) => rep.timeline)).size).toBe(1);
    // Every file is named by its rung (contract §2); HLS playlists sit beside the manifest.
    expect(files.filter((file) => !file.startsWith('segment-')).toSorted()).toEqual([
      'index.json',
      'init-a0.m4s',
      'init-v240.m4s',
      'init-v360.m4s',
      'manifest.mpd',
      'master.m3u8',
      'media-a0.m3u8',
      'media-v240.m3u8',
      'media-v360.m3u8',
      'poster.jpg',
      'thumbnails-1.jpg',
      'thumbnails.m3u8',
    ]);
    expect(encoded.tracks).toEqual({
      audio: [{ language: null, trackId: null }],
      captions: [],
      thumbnails: { intervalSeconds: 1, columns: 5, rows: 5, tileWidth: 160, tileHeight: 90 },
    });
    expect(
      files
        .filter((file) => file.startsWith('segment-'))
        .every((file) => /^segment-(v240|v360|a0)-\d{5}\.m4s$/.test(file)),
    ).toBe(true);
    const master = await readFile(join(dir, 'master.m3u8'), 'utf8');
    expect(master.split('\n').filter((line) => line.startsWith('media-'))).toEqual([
      'media-v240.m3u8',
      'media-v360.m3u8',
    ]);
    expect(master).toContain('URI="media-a0.m3u8"');

    const poster = await readFile(join(dir, 'poster.jpg'));
    expect([...poster.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);

    const { index, summary } = await readPackageIndex(dir);
    expect(summary).toEqual(encoded.packageIndex);
    expect(summary.sha256).toBe(sha256(await readFile(join(dir, 'index.json'))));
    expect(index.files.map((file) => file.path).toSorted()).toEqual(files.filter((f) => f !== 'index.json').toSorted());
    // Edges fill a title from index.json, playlists included.
    expect(index.files.map((file) => file.path)).toEqual(
      expect.arrayContaining(['master.m3u8', 'media-v240.m3u8', 'media-v360.m3u8', 'media-a0.m3u8']),
    );
    for (const file of index.files) {
      const bytes = await readFile(join(dir, file.path));
      expect([file.path, bytes.length, sha256(bytes)]).toEqual([file.path, file.size, file.sha256]);
    }
    expect(summary.bytes).toBe(index.files.reduce((total, file) => total + file.size, 0));
    expect(await verifyPackage(dir)).toEqual([]);

    expect(reports.length).toBeGreaterThan(0);
    expect(reports.at(-1)?.percent).toBe(100);
    for (const [previous, next] of reports.slice(1).map((report, i) => [reports[i], report])) {
      expect(next?.percent).toBeGreaterThanOrEqual(previous?.percent ?? 0);
    }
  });

  it('runs ffmpeg once per package, and a second run of the same encoding returns the same package', async () => {
    const origin = await newOrigin();
    const invocations = join(clips, 'ffmpeg-invocations.log');
    const counting = join(clips, 'counting-ffmpeg.sh');
    await writeFile(counting, `#!/bin/sh\necho "$*" >> '${invocations}'\nexec /usr/bin/ffmpeg "$@"\n`);
    await chmod(counting, 0o755);
    const previous = process.env.FFMPEG_PATH;
    process.env.FFMPEG_PATH = counting;
    try {
      const options = { sourcePath: clip('main.mp4'), originDir: origin, titleId: 'title-2', encodingId: 'enc-2' };
      const first = await encodePackage(options);
      const second = await encodePackage(options);
      expect(second).toEqual(first);

      // fluent-ffmpeg also asks ffmpeg for its formats and encoders; only runs with an input decode.
      const lines = (await readFile(invocations, 'utf8')).trim().split('\n');
      const encodes = lines.filter((line) => line.includes(` -i ${clip('main.mp4')}`));
      expect(encodes).toHaveLength(1);
      expect(lines.filter((line) => !encodes.includes(line)).every((line) => /^-(formats|encoders)$/.test(line))).toBe(
        true,
      );
    } finally {
      if (previous === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = previous;
    }
  });

  it('settles two runs of the same encoding racing each other on one package', async () => {
    const origin = await newOrigin();
    const options = { sourcePath: clip('tiny.mp4'), originDir: origin, titleId: 't', encodingId: 'e' };
    const [first, second] = await Promise.all([encodePackage(options), encodePackage(options)]);
    expect(second).toEqual(first);
    expect(await readdir(join(origin, 't'))).toEqual(['e']);
    expect(await readdir(join(origin, '.partial'))).toEqual([]);
    expect(await verifyPackage(join(origin, 't', 'e'))).toEqual([]);
  });

  it('never upscales a source smaller than the lowest rung, and packages video without audio (or previews, when asked)', async () => {
    const origin = await newOrigin();
    const encoded = await encodePackage({
      sourcePath: clip('tiny.mp4'),
      originDir: origin,
      titleId: 't',
      encodingId: 'e',
      thumbnails: false,
    });
    expect(encoded.tracks).toEqual({ audio: [], captions: [], thumbnails: null });
    expect((await readdir(join(origin, 't', 'e'))).filter((file) => file.startsWith('thumbnails'))).toEqual([]);
    expect(encoded.ladder).toEqual([{ width: 160, height: 90, videoBitrateKbps: 100 }]);
    const sets = readManifest(await readFile(join(origin, 't', 'e', 'manifest.mpd'), 'utf8'));
    expect(sets.map((set) => set.contentType)).toEqual(['video']);
    expect(sets[0]?.representations.map((rep) => `${rep.id} ${rep.width}x${rep.height}`)).toEqual(['v90 160x90']);
    expect(await readdir(join(origin, 't', 'e'))).toEqual(expect.arrayContaining(['master.m3u8', 'media-v90.m3u8']));
  });

  const leftovers = async (origin: string) => ({
    origin: await readdir(origin),
    partial: await readdir(join(origin, '.partial')).catch(() => []),
  });

  it('refuses a source with no video stream and leaves nothing behind', async () => {
    const origin = await newOrigin();
    const failure = encodePackage({ sourcePath: clip('sound.m4a'), originDir: origin, titleId: 't', encodingId: 'e' });
    await expect(failure).rejects.toThrow(EncodingError);
    await expect(failure).rejects.toMatchObject({ kind: 'unusable-source', reason: 'the source has no video stream' });
    expect((await leftovers(origin)).origin.filter((name) => name !== '.partial')).toEqual([]);
    expect((await leftovers(origin)).partial).toEqual([]);
  });

  it('refuses a file that is not media, with what ffprobe said', async () => {
    const origin = await newOrigin();
    const failure = encodePackage({
      sourcePath: clip('corrupt.mp4'),
      originDir: origin,
      titleId: 't',
      encodingId: 'e',
    });
    await expect(failure).rejects.toMatchObject({
      kind: 'unusable-source',
      reason: expect.stringMatching(/^the source cannot be read \(corrupt\.mp4: .+\)$/),
    });
    expect((await leftovers(origin)).origin.filter((name) => name !== '.partial')).toEqual([]);
  });

  it('reports what ffmpeg said when it fails, without our paths', async () => {
    const origin = await newOrigin();
    const failure = encodePackage({
      sourcePath: clip('corrupt.mp4'),
      // A probe that trusts the file lets ffmpeg be the one to find out.
      probe: { durationSeconds: 6, width: 640, height: 360, frameRate: 25, videoCodec: 'h264', audioCodec: null },
      originDir: origin,
      titleId: 't',
      encodingId: 'e',
    });
    await expect(failure).rejects.toMatchObject({
      kind: 'encoder-failed',
      reason: 'ffmpeg exited: corrupt.mp4: Invalid data found when processing input',
    });
    expect(await leftovers(origin)).toEqual({ origin: ['.partial'], partial: [] });
  });

  it('stops ffmpeg when cancelled mid-encode and leaves nothing behind', async () => {
    const origin = await newOrigin();
    const controller = new AbortController();
    const reports: EncodingProgress[] = [];
    const failure = encodePackage({
      sourcePath: clip('long.mp4'),
      originDir: origin,
      titleId: 't',
      encodingId: 'e',
      signal: controller.signal,
      onProgress: (progress) => {
        reports.push(progress);
        controller.abort();
      },
    });
    await expect(failure).rejects.toMatchObject({ kind: 'cancelled', reason: 'the encoding was cancelled' });
    expect(reports).toHaveLength(1);
    expect(reports[0]?.percent).toBeGreaterThanOrEqual(0);
    expect(reports[0]?.percent).toBeLessThan(100);
    expect(await leftovers(origin)).toEqual({ origin: ['.partial'], partial: [] });
  });

  it('does not start when already cancelled', async () => {
    const origin = await newOrigin();
    const failure = encodePackage({
      sourcePath: clip('main.mp4'),
      originDir: origin,
      titleId: 't',
      encodingId: 'e',
      signal: AbortSignal.abort(),
    });
    await expect(failure).rejects.toMatchObject({ kind: 'cancelled' });
    expect((await leftovers(origin)).origin.filter((name) => name !== '.partial')).toEqual([]);
  });
});
