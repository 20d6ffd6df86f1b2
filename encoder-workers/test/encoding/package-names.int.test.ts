import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { videoHeightOfFile } from '@marquee/platform';
import { makeClip } from '@marquee/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodingArguments, ffmpegCommandLine } from '../../src/encoding/encoding-arguments';
import { planLadder } from '../../src/encoding/ladder';
import { type FfmpegPackage, isFfmpegMediaPlaylist, planPackageNames } from '../../src/encoding/package-names';
import { probeSource } from '../../src/encoding/probe-source';
import { measureBitRates } from '../../src/encoding/segment-bit-rates';
import { UnexpectedPackage } from '../../src/encoding/unexpected-package';

// The plan is pure, but it reads what ffmpeg writes, so it is tested on what this ffmpeg writes
// (captured here, before any renaming), not on a copy that could drift from it.

const run = promisify(execFile);
let work: string;

/** The files of one raw ffmpeg run, as planPackageNames takes them. */
const ffmpegPackage = async (name: string, clip: { size: string; toneHz?: null }, heights: number[]) => {
  const source = join(work, `${name}.mp4`);
  await makeClip(source, { seconds: 3, ...clip });
  const probe = await probeSource(source, 'ffprobe');
  const ladder = planLadder(
    probe,
    heights.map((height) => ({ height, videoBitrateKbps: height })),
  );
  const outputDir = join(work, name);
  await mkdir(outputDir);
  await run(
    'ffmpeg',
    ffmpegCommandLine(encodingArguments({ sourcePath: source, outputDir, probe, ladder, segmentSeconds: 1 })),
  );
  const files = await readdir(outputDir);
  const read = (file: string) => readFile(join(outputDir, file), 'utf8');
  const playlists = files.filter(isFfmpegMediaPlaylist);
  const mediaPlaylists = Object.fromEntries(
    await Promise.all(playlists.map(async (file) => [file, await read(file)] as const)),
  );
  return {
    files,
    manifestFile: 'manifest.mpd',
    manifest: await read('manifest.mpd'),
    masterFile: 'master.m3u8',
    master: await read('master.m3u8'),
    mediaPlaylists,
    bitRates: await measureBitRates(outputDir, mediaPlaylists),
  } satisfies FfmpegPackage;
};

let withAudio: FfmpegPackage;
let videoOnly: FfmpegPackage;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'package-names-'));
  // 180p is exactly 16:9 at 320x180, 240p is not (426x240): ffmpeg gets one adaptation set per rung.
  withAudio = await ffmpegPackage('with-audio', { size: '640x360' }, [180, 240, 360]);
  videoOnly = await ffmpegPackage('video-only', { size: '320x180', toneHz: null }, [180]);
});
afterAll(() => rm(work, { recursive: true, force: true }));

const uris = (playlist: string) => [
  ...playlist.split('\n').filter((line) => line !== '' && !line.startsWith('#')),
  ...[...playlist.matchAll(/URI="([^"]*)"/g)].map(([, uri = '']) => uri),
];

const renamed = (written: FfmpegPackage, plan: ReturnType<typeof planPackageNames>) => {
  const moved = new Map(plan.renames.map(({ from, to }) => [from, to]));
  return written.files.map((file) => moved.get(file) ?? file).toSorted();
};

describe('planPackageNames on what ffmpeg wrote', () => {
  it('names every file by its rung or its audio track, and leaves the rest alone', () => {
    const plan = planPackageNames(withAudio);
    const files = renamed(withAudio, plan);

    const segments = (id: string) => files.filter((file) => file.startsWith(`segment-${id}-`));
    expect(files.filter((file) => !file.startsWith('segment-'))).toEqual([
      'init-a0.m4s',
      'init-v180.m4s',
      'init-v240.m4s',
      'init-v360.m4s',
      'manifest.mpd',
      'master.m3u8',
      'media-a0.m3u8',
      'media-v180.m3u8',
      'media-v240.m3u8',
      'media-v360.m3u8',
      'poster.jpg',
    ]);
    for (const id of ['v180', 'v240', 'v360', 'a0']) {
      expect(segments(id).length).toBeGreaterThanOrEqual(3);
      expect(segments(id).every((file) => /^segment-[va]\d+-\d{5}\.m4s$/.test(file))).toBe(true);
    }
    // What the servers check a token's height cap against.
    expect(new Set(files.map(videoHeightOfFile))).toEqual(new Set([null, 180, 240, 360]));
    expect(files.filter((file) => videoHeightOfFile(file) === 240).every((file) => file.includes('-v240'))).toBe(true);
    expect(plan.renames.some(({ from }) => ['manifest.mpd', 'master.m3u8', 'poster.jpg'].includes(from))).toBe(false);
    // No rename lands on a name another file already has.
    expect(new Set(files).size).toBe(withAudio.files.length);
  });

  it('rewrites the manifest into one video adaptation set of square-pixel rungs, ids by rung', () => {
    // ffmpeg's own output: one set per video rung, stream-index ids.
    expect(withAudio.manifest.match(/contentType="video"/g)).toHaveLength(3);
    const manifest = planPackageNames(withAudio).rewrites['manifest.mpd'] ?? '';

    const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    const sets = [...manifest.matchAll(/<AdaptationSet([^>]*)>([\s\S]*?)<\/AdaptationSet>/g)].map(
      ([, tag = '', body = '']) => ({
        tag,
        representations: [...body.matchAll(/<Representation([^>]*)>/g)].map(([, rep = '']) =>
          attribute(rep, 'mimeType')?.startsWith('video/')
            ? `${attribute(rep, 'id')} ${attribute(rep, 'width')}x${attribute(rep, 'height')} sar ${attribute(rep, 'sar')}`
            : attribute(rep, 'id'),
        ),
      }),
    );
    expect(sets.map((set) => set.representations)).toEqual([
      ['v180 320x180 sar 1:1', 'v240 426x240 sar 1:1', 'v360 640x360 sar 1:1'],
      ['a0'],
    ]);
    expect(sets[0]?.tag).toMatch(/ id="0" contentType="video" .* maxWidth="640" maxHeight="360" par="16:9"$/);
    expect(sets[0]?.tag).not.toContain('bitstreamSwitching');
    expect(sets[1]?.tag).toMatch(/ id="1" contentType="audio" /);
    // The segment templates still point at the files by id.
    expect(manifest.match(/initialization="init-\$RepresentationID\$\.m4s"/g)).toHaveLength(4);
    expect(manifest).toMatch(/^<\?xml[\s\S]*<\/MPD>\n?$/);
  });

  it('rewrites the HLS master and media playlists onto the renamed files', () => {
    const plan = planPackageNames(withAudio);
    const files = renamed(withAudio, plan);
    const master = plan.rewrites['master.m3u8'] ?? '';

    expect(uris(master).toSorted()).toEqual(['media-a0.m3u8', 'media-v180.m3u8', 'media-v240.m3u8', 'media-v360.m3u8']);
    expect(master).toContain('#EXT-X-INDEPENDENT-SEGMENTS');
    // A stream without a language tag: named as the original, in the group every variant points at.
    expect(master).toContain(
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Original audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="media-a0.m3u8"',
    );
    expect(
      master
        .split('\n')
        .filter((line) => line.startsWith('#EXT-X-STREAM-INF:'))
        .every((line) => line.endsWith(',AUDIO="audio"')),
    ).toBe(true);
    expect([...master.matchAll(/RESOLUTION=(\d+x\d+)/g)].map(([, size]) => size)).toEqual([
      '320x180',
      '426x240',
      '640x360',
    ]);

    const playlists = Object.entries(plan.rewrites).filter(([file]) => isFfmpegMediaPlaylist(file));
    expect(playlists).toHaveLength(4);
    for (const [, playlist] of playlists) {
      expect(playlist).not.toContain('#EXT-X-PROGRAM-DATE-TIME');
      expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(playlist).toContain('#EXT-X-ENDLIST');
      const referenced = uris(playlist);
      expect(referenced.length).toBeGreaterThan(3);
      for (const uri of referenced) expect(files).toContain(uri);
      // One playlist names the files of one representation only.
      expect(new Set(referenced.map((uri) => /^(?:init|segment)-([va]\d+)[-.]/.exec(uri)?.[1])).size).toBe(1);
    }
  });

  it('names a video-only package without an audio track', () => {
    const plan = planPackageNames(videoOnly);
    expect(renamed(videoOnly, plan).filter((file) => !file.startsWith('segment-'))).toEqual([
      'init-v180.m4s',
      'manifest.mpd',
      'master.m3u8',
      'media-v180.m3u8',
      'poster.jpg',
    ]);
    expect(uris(plan.rewrites['master.m3u8'] ?? '')).toEqual(['media-v180.m3u8']);
  });

  it('refuses a file that belongs to no representation, and two rungs of one height', () => {
    expect(() => planPackageNames({ ...withAudio, files: [...withAudio.files, 'segment-9-00001.m4s'] })).toThrow(
      new UnexpectedPackage('segment-9-00001.m4s belongs to no Representation of the manifest'),
    );
    const twice = withAudio.manifest.replace('height="180"', 'height="240"');
    expect(() => planPackageNames({ ...withAudio, manifest: twice })).toThrow(UnexpectedPackage);
  });
});
