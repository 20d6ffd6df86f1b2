/**
 * Tiny media files made with ffmpeg at test time, so the suite carries no binaries: a real clip,
 * and the kinds of file a content team sends by mistake, each named `.mp4` to show names are not trusted.
 */
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
};

export const makeTestMedia = async (): Promise<TestMedia> => {
  const directory = await mkdtemp(join(tmpdir(), 'marquee-media-'));
  const media: TestMedia = {
    directory,
    clip: join(directory, 'clip.mp4'),
    text: join(directory, 'script.mp4'),
    audioOnly: join(directory, 'audio-only.mp4'),
    image: join(directory, 'image.mp4'),
  };
  const png = join(directory, 'image.png');
  await Promise.all([
    makeClip(media.clip, { seconds: 2, size: '320x240' }),
    makeClip(media.audioOnly, { seconds: 1 }),
    makePicture(png, { size: '64x48' }).then(() => copyFile(png, media.image)),
    writeFile(media.text, 'INT. EDIT SUITE - NIGHT\nThe script, not the film.\n'),
  ]);
  return media;
};
