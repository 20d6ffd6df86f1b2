import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipArguments, makeClip, makePicture } from '../src/testing';

const run = promisify(execFile);
const probe = async (path: string) => {
  const { stdout } = await run(process.env.FFPROBE_PATH ?? 'ffprobe', [
    ...['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', path],
  ]);
  const { streams, format } = JSON.parse(stdout) as {
    streams: { codec_type: string; codec_name: string; width?: number; height?: number; sample_rate?: string }[];
    format: { duration: string };
  };
  return { streams, seconds: Number(format.duration) };
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'marquee-test-media-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('test media', () => {
  it('a clip has an H.264 picture of the size asked and an AAC tone, as long as asked', async () => {
    const path = await makeClip(join(dir, 'clip.mp4'), { seconds: 2, size: '320x240', sampleRate: 48000 });
    const { streams, seconds } = await probe(path);
    expect(streams).toEqual([
      expect.objectContaining({ codec_type: 'video', codec_name: 'h264', width: 320, height: 240 }),
      expect.objectContaining({ codec_type: 'audio', codec_name: 'aac', sample_rate: '48000' }),
    ]);
    expect(seconds).toBeCloseTo(2, 0);
  });

  it('a clip without a tone has no sound, and one without a size has no picture', async () => {
    const silent = await probe(await makeClip(join(dir, 'silent.mp4'), { seconds: 1, size: '160x90', toneHz: null }));
    expect(silent.streams.map((s) => s.codec_type)).toEqual(['video']);
    const sound = await probe(await makeClip(join(dir, 'sound.m4a'), { seconds: 1 }));
    expect(sound.streams.map((s) => s.codec_type)).toEqual(['audio']);
  });

  it('uses the pattern and preset asked for, and refuses a clip with neither picture nor sound', () => {
    const args = clipArguments({ seconds: 3, size: '854x480', pattern: 'mandelbrot', toneHz: 330, preset: 'veryfast' });
    expect(args.join(' ')).toContain('-i mandelbrot=size=854x480:rate=25');
    expect(args.join(' ')).toContain('-i sine=frequency=330');
    expect(args.join(' ')).toContain('-preset veryfast');
    expect(() => clipArguments({ seconds: 1, toneHz: null })).toThrow(/needs a picture/);
  });

  it('a picture is one PNG frame, whatever the file is called', async () => {
    const path = await makePicture(join(dir, 'still.png'), { size: '64x48' });
    expect((await readFile(path)).subarray(1, 4).toString()).toBe('PNG');
    expect((await probe(path)).streams).toEqual([
      expect.objectContaining({ codec_name: 'png', width: 64, height: 48 }),
    ]);
  });
});
