/**
 * What ffprobe says about an uploaded file, reduced to the `SourceProbe` a SourceUploaded event
 * carries. A file that cannot be encoded into a title (not media, sound only, a still image) is
 * refused here with a reason a content team can act on, before anything is recorded.
 */
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { type AudioStream, canonicalLanguage, type SourceProbe } from '@marquee/domain';
import { z } from 'zod';

const run = promisify(execFile);

/** The file is not a video the encoders could use; `reason` says what is wrong with it. */
export class NotAVideo extends Error {
  readonly code = 'NotAVideo';
  constructor(readonly reason: string) {
    super(
      `The upload cannot be used as a source: ${reason}. Send a video file (moving pictures that play for a while), such as an MP4 or a MOV.`,
    );
    this.name = 'NotAVideo';
  }
}

export type ProbeSourceOptions = { ffprobePath?: string; timeoutMs?: number };

// Only the fields read below; ffprobe prints numbers as strings and omits what it does not know.
const ffprobeStream = z.object({
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  avg_frame_rate: z.string().optional(),
  r_frame_rate: z.string().optional(),
  duration: z.string().optional(),
  nb_frames: z.string().optional(),
  channels: z.number().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  disposition: z.object({ attached_pic: z.number().optional() }).optional(),
});
const ffprobeOutput = z.object({
  streams: z.array(ffprobeStream).default([]),
  format: z.object({ format_name: z.string().optional(), duration: z.string().optional() }).optional(),
});
type FfprobeStream = z.infer<typeof ffprobeStream>;

// Demuxers that read one picture: such a file is a still, whatever its name says.
const singleImageFormat = /(^|,)(image2|[a-z0-9]+_pipe)(,|$)/;

const positive = (value: string | undefined): number | undefined => {
  const number = Number(value);
  return value !== undefined && Number.isFinite(number) && number > 0 ? number : undefined;
};

const fraction = (value: string | undefined): number | undefined => {
  const [numerator, denominator] = (value ?? '').split('/').map(Number);
  if (numerator === undefined || denominator === undefined) return positive(value);
  const rate = numerator / denominator;
  return Number.isFinite(rate) && rate > 0 ? rate : undefined;
};

const isPicture = (stream: FfprobeStream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1;

/** ffprobe's streams and format of a file; `refuse` makes the error for a file that is not media at all. */
const runFfprobe = async (path: string, options: ProbeSourceOptions, refuse: (reason: string) => Error) => {
  const ffprobePath = options.ffprobePath ?? process.env.FFPROBE_PATH ?? 'ffprobe';
  const timeoutMs = options.timeoutMs ?? 60_000;
  let stdout: string;
  try {
    ({ stdout } = await run(
      ffprobePath,
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
    ));
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string; killed?: boolean };
    if (failure.code === 'ENOENT') {
      throw new Error(
        `ffprobe was not found (tried "${ffprobePath}"): install ffmpeg, or set FFPROBE_PATH to the ffprobe binary.`,
      );
    }
    // A probe that hangs is our problem to look into, not something the uploader can fix.
    if (failure.killed) throw new Error(`ffprobe did not finish within ${timeoutMs} ms reading ${path}.`);
    throw refuse(`the file is not a media file ffprobe can read (${firstLine(failure.stderr ?? '', path)})`);
  }
  return ffprobeOutput.parse(JSON.parse(stdout));
};

/** Every audio stream, in order, with the language its tags name (canonical; null when untagged or "und"). */
const audioStreamsOf = (streams: FfprobeStream[]): AudioStream[] =>
  streams
    .filter((stream) => stream.codec_type === 'audio')
    .map((stream) => ({
      codec: stream.codec_name ?? 'unknown',
      language: canonicalLanguage(stream.tags?.language ?? '') ?? null,
      channels: stream.channels !== undefined && stream.channels > 0 ? stream.channels : null,
    }));

export const probeSource = async (path: string, options: ProbeSourceOptions = {}): Promise<SourceProbe> => {
  const { streams, format } = await runFfprobe(path, options, (reason) => new NotAVideo(reason));
  const video = streams.find(isPicture);
  if (!video) throw new NotAVideo('the file has no video stream');

  // ffprobe gives a still picture a frame rate but no length to play; some containers give it a duration.
  const stillImage = singleImageFormat.test(format?.format_name ?? '') || video.nb_frames === '1';
  const durationSeconds = positive(format?.duration) ?? positive(video.duration);
  if (stillImage || durationSeconds === undefined) throw new NotAVideo('the video has no duration');

  const { width, height } = video;
  if (!width || !height || width <= 0 || height <= 0) throw new NotAVideo('the video stream has no size');

  const frameRate = fraction(video.avg_frame_rate) ?? fraction(video.r_frame_rate);
  if (frameRate === undefined) throw new NotAVideo('the video stream has no frame rate');
  if (!video.codec_name) throw new NotAVideo('the video is in a codec ffprobe does not know');

  return {
    durationSeconds,
    width,
    height,
    frameRate,
    videoCodec: video.codec_name,
    audioCodec: streams.find((stream) => stream.codec_type === 'audio')?.codec_name ?? null,
    audioStreams: audioStreamsOf(streams),
  };
};

/** The file holds no sound Marquee can use as an audio track; `reason` says what is wrong with it. */
export class NoAudio extends Error {
  readonly code = 'NoAudio';
  constructor(readonly reason: string) {
    super(`The upload cannot be used as an audio track: ${reason}.`);
    this.name = 'NoAudio';
  }
}

/**
 * What an extra audio track's file holds: its first audio stream (a video stream beside it is
 * ignored; the encoder takes the sound only), or NoAudio.
 */
export const probeAudioTrack = async (path: string, options: ProbeSourceOptions = {}): Promise<AudioStream> => {
  const { streams, format } = await runFfprobe(path, options, (reason) => new NoAudio(reason));
  const [audio] = audioStreamsOf(streams);
  if (!audio) throw new NoAudio('the file has no audio stream');
  if (positive(format?.duration) === undefined) throw new NoAudio('the audio has no duration');
  return audio;
};

/** ffprobe's first complaint, without its "[demuxer @ 0x…]" prefix or our server's path. */
const firstLine = (stderr: string, path: string): string => {
  const line = stderr.split('\n').find((candidate) => candidate.trim() !== '') ?? 'no explanation given';
  return line
    .replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/, '')
    .replaceAll(path, basename(path))
    .trim();
};
