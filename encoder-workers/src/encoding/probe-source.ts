/**
 * ffprobe, through fluent-ffmpeg, for a job that was given no probe: the source reduced to the
 * SourceProbe the ladder and the encode need, or an EncodingError the content team can act on.
 */
import { basename } from 'node:path';
import { canonicalLanguage, type SourceProbe } from '@marquee/domain';
import ffmpeg, { type FfprobeData, type FfprobeStream } from 'fluent-ffmpeg';
import { EncodingError } from './encoding-error';

const positive = (value: unknown): number | undefined => {
  const number = Number(value);
  return value !== undefined && value !== null && Number.isFinite(number) && number > 0 ? number : undefined;
};

const fraction = (value: string | undefined): number | undefined => {
  const [numerator, denominator] = (value ?? '').split('/').map(Number);
  if (numerator === undefined || denominator === undefined) return positive(value);
  return positive(numerator / denominator);
};

// Cover art in an audio file is a video stream too; it is a picture, not a video.
const isMovingPicture = (stream: FfprobeStream) =>
  stream.codec_type === 'video' && (stream.disposition as { attached_pic?: number } | undefined)?.attached_pic !== 1;

/** ffprobe's complaint without its banner, its "[demuxer @ 0x…]" prefix or our server's paths. */
const complaintOf = (error: Error, sourcePath: string): string => {
  const lines = error.message
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const line = lines.at(-1) ?? error.message.split('\n')[0] ?? 'no explanation given';
  return line
    .replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/, '')
    .replaceAll(sourcePath, basename(sourcePath))
    .trim();
};

const runFfprobe = (sourcePath: string, ffprobePath: string): Promise<FfprobeData> =>
  new Promise((resolve, reject) => {
    // fluent-ffmpeg keeps one ffprobe path for the whole process; this job's setting wins.
    ffmpeg.setFfprobePath(ffprobePath);
    ffmpeg.ffprobe(sourcePath, ['-v', 'error'], (error: (Error & { code?: string }) | null, data) => {
      if (!error) return resolve(data);
      if (error.code === 'ENOENT') {
        return reject(
          new EncodingError(
            'encoder-failed',
            `ffprobe was not found (tried "${ffprobePath}"); install ffmpeg or set FFPROBE_PATH`,
          ),
        );
      }
      reject(new EncodingError('unusable-source', `the source cannot be read (${complaintOf(error, sourcePath)})`));
    });
  });

export const probeSource = async (sourcePath: string, ffprobePath: string): Promise<SourceProbe> => {
  const { streams, format } = await runFfprobe(sourcePath, ffprobePath);
  const video = streams.find(isMovingPicture);
  if (!video) throw new EncodingError('unusable-source', 'the source has no video stream');

  const width = positive(video.width);
  const height = positive(video.height);
  if (width === undefined || height === undefined) {
    throw new EncodingError('unusable-source', 'the source video has no picture size');
  }
  const durationSeconds = positive(format.duration) ?? positive(video.duration);
  if (durationSeconds === undefined) throw new EncodingError('unusable-source', 'the source video has no duration');
  const frameRate = fraction(video.avg_frame_rate) ?? fraction(video.r_frame_rate);
  if (frameRate === undefined) throw new EncodingError('unusable-source', 'the source video has no frame rate');

  return {
    durationSeconds,
    width,
    height,
    frameRate,
    videoCodec: video.codec_name ?? 'unknown',
    audioCodec: streams.find((stream) => stream.codec_type === 'audio')?.codec_name ?? null,
    audioStreams: streams
      .filter((stream) => stream.codec_type === 'audio')
      .map((stream) => ({
        codec: stream.codec_name ?? 'unknown',
        // "eng", "fre", "und": the tag as a canonical language, or null when it names none.
        language:
          canonicalLanguage(String((stream.tags as { language?: unknown } | undefined)?.language ?? '')) ?? null,
        channels: positive(stream.channels) ?? null,
      })),
  };
};
