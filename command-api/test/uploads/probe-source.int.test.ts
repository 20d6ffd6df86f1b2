import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoAudio, NotAVideo, probeAudioTrack, probeSource } from '../../src/titles/uploads/probe-source';
import { makeTestMedia, type TestMedia } from './test-media';

let media: TestMedia;

beforeAll(async () => {
  media = await makeTestMedia();
});
afterAll(async () => {
  await rm(media.directory, { recursive: true, force: true });
});

const refusalOf = async (path: string): Promise<NotAVideo> => {
  const error = await probeSource(path).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(NotAVideo);
  return error as NotAVideo;
};

describe('probeSource', () => {
  it('describes a video: duration, size, frame rate and codecs', async () => {
    const probe = await probeSource(media.clip);

    expect(probe).toEqual({
      durationSeconds: expect.closeTo(2, 1),
      width: 320,
      height: 240,
      frameRate: 25,
      videoCodec: 'h264',
      audioCodec: 'aac',
      audioStreams: [{ codec: 'aac', language: null, channels: 1 }],
    });
  });

  it('lists every audio stream in order, with its tagged language made canonical', async () => {
    const probe = await probeSource(media.twoLanguages);

    expect(probe.audioStreams).toEqual([
      { codec: 'aac', language: 'en', channels: 2 },
      { codec: 'aac', language: 'fr', channels: 2 },
    ]);
  });

  it('describes a video without sound as having no audio streams', async () => {
    expect(await probeSource(media.silent)).toMatchObject({ audioCodec: null, audioStreams: [] });
  });

  it('refuses a file that is not media at all, with what ffprobe said and without our path', async () => {
    const refusal = await refusalOf(media.text);

    expect(refusal.reason).toMatch(/^the file is not a media file ffprobe can read \(.+\)$/);
    expect(refusal.reason).not.toContain(media.directory);
    expect(refusal.message).toContain(refusal.reason);
  });

  it('refuses sound without a picture', async () => {
    expect((await refusalOf(media.audioOnly)).reason).toBe('the file has no video stream');
  });

  it('refuses a single picture', async () => {
    expect((await refusalOf(media.image)).reason).toBe('the video has no duration');
  });

  it('reports a missing ffprobe as a server problem, not as a bad file', async () => {
    const error = await probeSource(media.clip, { ffprobePath: '/nowhere/ffprobe' }).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(NotAVideo);
    expect((error as Error).message).toMatch(/ffprobe was not found.*FFPROBE_PATH/);
  });
});

describe('probeAudioTrack', () => {
  it('takes the first audio stream of a sound file, or of a video (its picture ignored)', async () => {
    expect(await probeAudioTrack(media.audioOnly)).toEqual({ codec: 'aac', language: null, channels: 1 });
    expect(await probeAudioTrack(media.twoLanguages)).toEqual({ codec: 'aac', language: 'en', channels: 2 });
  });

  it('refuses a video without sound, and a file that is not media', async () => {
    await expect(probeAudioTrack(media.silent)).rejects.toEqual(new NoAudio('the file has no audio stream'));
    const refusal = await probeAudioTrack(media.text).catch((thrown: unknown) => thrown);
    expect(refusal).toBeInstanceOf(NoAudio);
    expect((refusal as NoAudio).reason).toMatch(/^the file is not a media file ffprobe can read/);
  });
});
