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
  /** Several audio streams instead of the one tone, each its own pitch and language tag (`eng`, `fre`). */
  audioTracks?: { toneHz: number; language: string }[];
};

/** The ffmpeg arguments for a clip, without the output path. */
export const clipArguments = (options: ClipOptions): string[] => {
  const { size, toneHz = 440 } = options;
  if (!size && toneHz === null) throw new Error('a clip needs a picture (size) or a sound (toneHz)');
  const tone =
    toneHz === null ? '' : `sine=frequency=${toneHz}${options.sampleRate ? `:sample_rate=${options.sampleRate}` : ''}`;
  const pattern = `${options.pattern ?? 'testsrc2'}=size=${size}:rate=${options.frameRate ?? 25}`;
  if (options.audioTracks) return multiAudioClipArguments(options, size ? pattern : undefined);
  return [
    ...(size ? ['-f', 'lavfi', '-i', pattern] : []),
    ...(tone ? ['-f', 'lavfi', '-i', tone] : []),
    ...['-t', String(options.seconds)],
    ...(size ? ['-c:v', 'libx264', '-preset', options.preset ?? 'ultrafast', '-pix_fmt', 'yuv420p'] : []),
    ...(tone ? ['-c:a', 'aac'] : []),
  ];
};

const multiAudioClipArguments = (options: ClipOptions, pattern: string | undefined): string[] => {
  const tracks = options.audioTracks ?? [];
  const rate = options.sampleRate ? `:sample_rate=${options.sampleRate}` : '';
  return [
    ...(pattern ? ['-f', 'lavfi', '-i', pattern] : []),
    ...tracks.flatMap((track) => ['-f', 'lavfi', '-i', `sine=frequency=${track.toneHz}${rate}`]),
    ...(pattern ? ['-map', '0:v'] : []),
    ...tracks.flatMap((_, index) => ['-map', `${index + (pattern ? 1 : 0)}:a`]),
    ...tracks.flatMap((track, index) => [`-metadata:s:a:${index}`, `language=${track.language}`]),
    ...['-t', String(options.seconds)],
    ...(pattern ? ['-c:v', 'libx264', '-preset', options.preset ?? 'ultrafast', '-pix_fmt', 'yuv420p'] : []),
    ...['-c:a', 'aac'],
  ];
};

/** WebVTT captions for a clip: one numbered cue (`<label> 1`, `<label> 2`…) every `everySeconds`, each shown for most of it. */
export const makeCaptionsText = (options: { seconds: number; label: string; everySeconds?: number }): string => {
  const every = options.everySeconds ?? 2;
  const stamp = (seconds: number) => {
    const milliseconds = Math.round(seconds * 1000);
    const hours = Math.floor(milliseconds / 3_600_000);
    const minutes = Math.floor(milliseconds / 60_000) % 60;
    const rest = (milliseconds % 60_000) / 1000;
    return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${rest.toFixed(3).padStart(6, '0')}`;
  };
  const cues = Array.from({ length: Math.floor(options.seconds / every) }, (_, index) => {
    const start = index * every;
    return `${stamp(start)} --> ${stamp(start + every * 0.9)}\n${options.label} ${index + 1}\n`;
  });
  return `WEBVTT\n\n${cues.join('\n')}`;
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
  /** Seconds of the episode's own sound before the intro (0 for none). */
  coldOpenSeconds: number;
  /** Seconds of the intro tune every episode made with this shares. */
  introSeconds: number;
  /** Seconds of the episode's own sound after the intro. */
  contentSeconds: number;
  /** Which episode: each number makes a different cold open and content. */
  variant: number;
  /** The picture's size (a moving pattern); without one the episode is sound only. */
  size?: string;
};

// A tune that changes note three times a second over a sweep: shared by every episode clip.
const introTune =
  '0.35*sin(2*PI*330*pow(2,(2*floor(mod(t*3,5))+3*floor(mod(t*1.25,3)))/12)*t)+0.25*sin(2*PI*(200+300*mod(t,2))*t)';
// An episode's own sound: a melody of its own over a little noise, different for each variant.
const ownSound = (variant: number, seed: number) =>
  `0.3*sin(2*PI*(140+53*${variant}+${70 + 11 * seed}*floor(mod(t*(${1.1 + 0.37 * variant + 0.13 * seed}),${7 + (variant % 5)})))*t)+0.05*(random(${seed})-0.5)`;

/**
 * An episode of a made-up season (AAC sound, H.264 picture when sized): its own cold open, the
 * season's intro tune, then its own content; for intro detection.
 */
export const makeEpisodeClip = async (path: string, options: EpisodeClipOptions) => {
  const { coldOpenSeconds, introSeconds, contentSeconds, variant, size } = options;
  const parts = [
    ...(coldOpenSeconds > 0 ? [{ expression: ownSound(variant, 1), seconds: coldOpenSeconds }] : []),
    { expression: introTune, seconds: introSeconds },
    { expression: ownSound(variant, 2), seconds: contentSeconds },
  ];
  const totalSeconds = coldOpenSeconds + introSeconds + contentSeconds;
  const inputs = parts.flatMap(({ expression, seconds }) => [
    '-f',
    'lavfi',
    '-i',
    `aevalsrc=${expression.replaceAll(',', '\\,')}:s=44100:d=${seconds}`,
  ]);
  const sound = `${parts.map((_, i) => `[${i}:a]`).join('')}concat=n=${parts.length}:v=0:a=1[sound]`;
  const picture = size ? ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=${totalSeconds}`] : [];
  await ffmpeg([
    ...inputs,
    ...picture,
    ...['-filter_complex', sound, '-map', '[sound]'],
    ...(size ? ['-map', `${parts.length}:v`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'] : []),
    ...['-c:a', 'aac', '-t', String(totalSeconds)],
    path,
  ]);
  return path;
};
