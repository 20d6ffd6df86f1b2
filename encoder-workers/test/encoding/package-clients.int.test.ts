/**
 * A package plays in clients the project did not write: ffmpeg reads the DASH manifest and the
 * HLS master from the folder and decodes every frame of every rung, and every rung has square
 * pixels in its own bitstream, as a TV or a phone would read it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LadderRung } from '@marquee/domain';
import { makeClip } from '@marquee/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePackage } from '../../src/encoding/encode-package';

const run = promisify(execFile);
const clipSeconds = 4;
const frameRate = 25;

let work: string;
let dir: string;
let ladder: LadderRung[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'package-clients-'));
  const source = await makeClip(join(work, 'source.mp4'), { seconds: clipSeconds, size: '640x360', frameRate });
  const encoded = await encodePackage({
    sourcePath: source,
    originDir: join(work, 'origin'),
    titleId: 't',
    encodingId: 'e',
    // 180p is 16:9 to the pixel; 240p (426x240) is not, which is what the muxer used to refuse.
    rungs: [
      { height: 180, videoBitrateKbps: 150 },
      { height: 240, videoBitrateKbps: 250 },
      { height: 360, videoBitrateKbps: 500 },
    ],
    segmentSeconds: 2,
  });
  ladder = encoded.ladder;
  dir = join(work, 'origin', 't', 'e');
});
afterAll(() => rm(work, { recursive: true, force: true }));

type ProbedStream = {
  index: number;
  codec_type: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
};

const probeStreams = async (path: string): Promise<ProbedStream[]> => {
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-show_entries', 'stream=index,codec_type,width,height,sample_aspect_ratio'],
    ...['-of', 'json', path],
  ]);
  const streams = (JSON.parse(stdout) as { streams: ProbedStream[] }).streams;
  // An HLS master lists each stream once per program too.
  return [...new Map(streams.map((stream) => [stream.index, stream])).values()].toSorted((a, b) => a.index - b.index);
};

/** `ffmpeg -i <entry> -map 0 -f null -`: the frames it decoded per input stream. */
const decodeAll = async (entry: string) => {
  const { stderr } = await run('ffmpeg', [
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'verbose',
    '-i',
    entry,
    '-map',
    '0',
    '-f',
    'null',
    '-',
  ]);
  return [...stderr.matchAll(/Input stream #0:(\d+) \((video|audio)\): .*?; (\d+) frames decoded/g)].map(
    ([, index, type, frames]) => ({ index: Number(index), type, frames: Number(frames) }),
  );
};

describe('a package in clients the project did not write', () => {
  it('ffprobe finds square pixels in every init and media segment of every rung', async () => {
    const files = await readdir(dir);
    const probed: string[] = [];
    for (const rung of ladder) {
      const id = `v${rung.height}`;
      const init = await readFile(join(dir, `init-${id}.m4s`));
      const segments = files.filter((file) => file.startsWith(`segment-${id}-`)).toSorted();
      expect(segments).toHaveLength(clipSeconds / 2);
      for (const segment of segments) {
        // A media segment is read the way a player does, after its rung's init segment.
        const joined = join(work, `probe-${segment}.mp4`);
        await writeFile(joined, Buffer.concat([init, await readFile(join(dir, segment))]));
        const [stream] = await probeStreams(joined);
        probed.push(`${segment} ${stream?.width}x${stream?.height} ${stream?.sample_aspect_ratio}`);
      }
    }
    expect(probed).toEqual(
      ladder.flatMap((rung) =>
        ['00001', '00002'].map((n) => `segment-v${rung.height}-${n}.m4s ${rung.width}x${rung.height} 1:1`),
      ),
    );
    expect(ladder.map((rung) => `${rung.width}x${rung.height}`)).toEqual(['320x180', '426x240', '640x360']);
  });

  for (const entry of ['manifest.mpd', 'master.m3u8']) {
    it(`ffmpeg reads ${entry} and decodes every frame of every rung and the audio`, async () => {
      const decoded = await decodeAll(join(dir, entry));
      const streams = await probeStreams(join(dir, entry));

      const video = streams.filter((stream) => stream.codec_type === 'video');
      expect(video.map((stream) => `${stream.width}x${stream.height} ${stream.sample_aspect_ratio}`)).toEqual(
        ladder.map((rung) => `${rung.width}x${rung.height} 1:1`),
      );
      expect(decoded.filter((stream) => stream.type === 'video').map((stream) => stream.frames)).toEqual(
        ladder.map(() => clipSeconds * frameRate),
      );
      const audio = decoded.filter((stream) => stream.type === 'audio');
      expect(audio).toHaveLength(1);
      expect(audio[0]?.frames).toBeGreaterThan(0);
    });
  }
});
