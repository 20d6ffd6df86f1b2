/*
 * Media made by ffmpeg from its test sources at run time (a moving pattern, a tone), so nothing
 * that needs a clip carries one: tests, benchmarks and the demo titles of a fresh platform.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ffmpeg = (args: readonly string[]) =>
  run(process.env.FFMPEG_PATH ?? 'ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

export type ClipOptions = {
  seconds: number;
  /** The picture's size, e.g. `640x360`; without one the clip is sound only. */
  size?: string;
  /** ffmpeg's lavfi video source: `testsrc2` unless said (`smptehdbars`, `mandelbrot`…). */
  pattern?: string;
  /** 25 unless said. */
  frameRate?: number;
  /** The tone's pitch in Hz, 440 unless said; `null` for a clip without sound. */
  toneHz?: number | null;
  /** The tone's sample rate in Hz; ffmpeg's default (44100) unless said. */
  sampleRate?: number;
  /** The x264 preset: `ultrafast` unless said. */
  preset?: string;
};

/** The ffmpeg arguments for a clip, without the output path. */
export const clipArguments = (options: ClipOptions): string[] => {
  const { size, toneHz = 440 } = options;
  if (!size && toneHz === null) throw new Error('a clip needs a picture (size) or a sound (toneHz)');
  const tone =
    toneHz === null ? '' : `sine=frequency=${toneHz}${options.sampleRate ? `:sample_rate=${options.sampleRate}` : ''}`;
  const pattern = `${options.pattern ?? 'testsrc2'}=size=${size}:rate=${options.frameRate ?? 25}`;
  return [
    ...(size ? ['-f', 'lavfi', '-i', pattern] : []),
    ...(tone ? ['-f', 'lavfi', '-i', tone] : []),
    ...['-t', String(options.seconds)],
    ...(size ? ['-c:v', 'libx264', '-preset', options.preset ?? 'ultrafast', '-pix_fmt', 'yuv420p'] : []),
    ...(tone ? ['-c:a', 'aac'] : []),
  ];
};

/** Writes a clip (H.264 and AAC, in the container the path's extension names) and gives its path. */
export const makeClip = async (path: string, options: ClipOptions) => {
  await ffmpeg([...clipArguments(options), path]);
  return path;
};

/** Writes one still picture of the test pattern (PNG, JPEG… by the path's extension) and gives its path. */
export const makePicture = async (path: string, options: { size: string }) => {
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${options.size}`, '-frames:v', '1', path]);
  return path;
};

export type EpisodeClipOptions = {
  /** Before the intro: this episode's own cold open. */
  coldOpenSeconds: number;
  /** The intro every episode of the season shares: the same tune, note for note. */
  introSeconds: number;
  /** After the intro: this episode's own story, then its credits. */
  restSeconds: number;
  /** Makes the cold open and the rest this episode's own (different noise and notes). */
  episode: number;
  size?: string;
  frameRate?: number;
};

/** The shared intro's tune: three notes a second, each a fifth from the last, so its chroma is anything but flat. */
const introTune = '0.4*sin(2*PI*t*440*pow(2,mod(floor(t*3)*7,12)/12))';
/** An episode's own sound: pink noise under a slower line of notes that differs per episode. */
const ownSound = (episode: number, seconds: number) =>
  `anoisesrc=color=pink:amplitude=0.15:seed=${episode * 7919}:duration=${seconds}[n${episode}];` +
  `aevalsrc='0.25*sin(2*PI*t*196*pow(2,mod(floor(t*1.3+${episode * 5})*5,12)/12))':duration=${seconds}[m${episode}];` +
  `[n${episode}][m${episode}]amix=inputs=2:normalize=0`;

/**
 * An episode of a made-up season: its own cold open, then the season's intro tune (the same in
 * every episode, wherever it starts), then its own rest. What intro detection should find is
 * `[coldOpenSeconds, coldOpenSeconds + introSeconds]`.
 */
export const makeEpisodeClip = async (path: string, options: EpisodeClipOptions) => {
  const { coldOpenSeconds, introSeconds, restSeconds, episode } = options;
  const total = coldOpenSeconds + introSeconds + restSeconds;
  const size = options.size ?? '426x240';
  const rate = options.frameRate ?? 25;
  const audio = [
    `${ownSound(episode, coldOpenSeconds)},aresample=44100[cold]`,
    `aevalsrc='${introTune}':duration=${introSeconds}:sample_rate=44100[intro]`,
    `${ownSound(episode + 1000, restSeconds)},aresample=44100[rest]`,
    '[cold][intro][rest]concat=n=3:v=0:a=1[audio]',
  ].join(';');
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}`],
    ...['-filter_complex', audio, '-map', '0:v', '-map', '[audio]', '-t', String(total)],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2'],
    path,
  ]);
  return path;
};
