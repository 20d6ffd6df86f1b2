/**
 * Tiny media files made with ffmpeg at test time, so the suite carries no binaries: a real clip,
 * and the kinds of file a content team sends by mistake, each named `.mp4` to show names are not trusted.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeClip, makePicture } from '@marquee/platform/testing';

export type TestMedia = {
  directory: string;
  /** 2 s of 320x240 25 fps h264 with aac sound. */
  clip: string;
  /** A text file named `.mp4`. */
  text: string;
  /** 1 s of aac sound and no picture. */
  audioOnly: string;
  /** One PNG picture named `.mp4`. */
  image: string;
  /** 2 s of picture and two sounds, tagged English ("eng") and French ("fre"), in that order. */
  twoLanguages: string;
  /** 2 s of picture without sound. */
  silent: string;
};

/** A clip whose two audio streams carry ISO 639-2 language tags, as a studio's master does. */
const makeTwoLanguageClip = (path: string) =>
  promisify(execFile)(process.env.FFMPEG_PATH ?? 'ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=660'],
    ...['-map', '0:v', '-map', '1:a', '-map', '2:a', '-t', '2'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2'],
    ...['-metadata:s:a:0', 'language=eng', '-metadata:s:a:1', 'language=fre', path],
  ]);

export const makeTestMedia = async (): Promise<TestMedia> => {
  const directory = await mkdtemp(join(tmpdir(), 'marquee-media-'));
  const media: TestMedia = {
    directory,
    clip: join(directory, 'clip.mp4'),
    text: join(directory, 'script.mp4'),
    audioOnly: join(directory, 'audio-only.mp4'),
    image: join(directory, 'image.mp4'),
    twoLanguages: join(directory, 'two-languages.mp4'),
    silent: join(directory, 'silent.mp4'),
  };
  const png = join(directory, 'image.png');
  await Promise.all([
    makeClip(media.clip, { seconds: 2, size: '320x240' }),
    makeClip(media.audioOnly, { seconds: 1 }),
    makePicture(png, { size: '64x48' }).then(() => copyFile(png, media.image)),
    writeFile(media.text, 'INT. EDIT SUITE - NIGHT\nThe script, not the film.\n'),
    makeTwoLanguageClip(media.twoLanguages),
    makeClip(media.silent, { seconds: 2, size: '320x240', toneHz: null }),
  ]);
  return media;
};
