/**
 * The one ffmpeg run that makes a package: the source is decoded once and split into every
 * rung, the poster and the seek-preview sprites; every audio stream of the source and each added
 * audio file is its own track. Kept as plain data so the encode benchmark can run ffmpeg by hand
 * with exactly the same settings.
 */
import { join } from 'node:path';
import type { LadderRung, SourceProbe, ThumbnailGrid } from '@marquee/domain';
import { type AudioTrackPlan, planAudioTracks } from './package-tracks';

export const manifestFileName = 'manifest.mpd';
/** The HLS master playlist ffmpeg's DASH muxer writes beside the manifest, over the same segments. */
export const masterPlaylistFileName = 'master.m3u8';
export const posterFileName = 'poster.jpg';
export const posterMaxWidth = 640;
/** ffmpeg's image2 pattern for the sprites: thumbnails-1.jpg, thumbnails-2.jpg, … (after a placeholder) */
export const thumbnailFilePattern = 'thumbnails-%d.jpg';
export const audioBitrateKbps = 128;

export type EncodingArguments = {
  /** Before every input: ffmpeg's own settings. */
  inputOptions: string[];
  /** The source first, then each extra audio file, each with the options that go before its -i. */
  inputs: { path: string; options: string[] }[];
  /** Empty for a run without filters. */
  complexFilter: string;
  outputs: { target: string; options: string[] }[];
};

const even = (value: number) => Math.max(2, Math.round(value / 2) * 2);

const posterSize = (probe: SourceProbe) => {
  const width = Math.min(even(probe.width), posterMaxWidth);
  return { width, height: even((width * probe.height) / probe.width) };
};

/** `id=0,streams=0 id=1,streams=1 …`: one set per output stream, video first in ladder order, then each audio track. */
const adaptationSets = (streams: number) =>
  Array.from({ length: streams }, (_, index) => `id=${index},streams=${index}`).join(' ');

const tile = (grid: ThumbnailGrid) => `tile=${grid.columns}x${grid.rows}`;

/** The first file the sprite output writes: a placeholder that only makes ffmpeg report progress early (see encodingArguments). */
export const placeholderThumbnailFileName = 'thumbnails-0.jpg';

const audioOptions = (audio: readonly { language: string | null }[]) => [
  ...['-c:a', 'aac', '-b:a', `${audioBitrateKbps}k`, '-ac', '2'],
  // The muxer writes it as each audio set's lang (and into the init segment); "und" when unknown,
  // rather than whatever tag the source stream carried.
  ...audio.flatMap((track, index) => [`-metadata:s:a:${index}`, `language=${track.language ?? 'und'}`]),
];

/** DASH (fMP4, one set per stream) and HLS playlists over the same segments, named by ffmpeg's stream index. */
const dashOptions = (segmentSeconds: number, streams: number) => [
  ...['-f', 'dash', '-dash_segment_type', 'mp4', '-seg_duration', String(segmentSeconds)],
  ...['-use_template', '1', '-use_timeline', '1'],
  ...['-adaptation_sets', adaptationSets(streams)],
  ...['-init_seg_name', 'init-$RepresentationID$.m4s'],
  ...['-media_seg_name', 'segment-$RepresentationID$-$Number%05d$.m4s'],
  // HLS (fMP4) media playlists and a master over the very same segment files.
  ...['-hls_playlist', '1', '-hls_master_name', masterPlaylistFileName],
];

/**
 * One audio file alone, as a revision adds it to a package: the same codec, bitrate and segment
 * duration as the tracks of a first encode, cut to the title's length.
 */
export const audioEncodingArguments = ({
  path,
  outputDir,
  language,
  durationSeconds,
  segmentSeconds,
}: {
  path: string;
  outputDir: string;
  language: string | null;
  durationSeconds: number;
  segmentSeconds: number;
}): EncodingArguments => ({
  inputOptions: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-stats'],
  inputs: [{ path, options: ['-t', durationSeconds.toFixed(3)] }],
  complexFilter: '',
  outputs: [
    {
      target: join(outputDir, manifestFileName),
      options: ['-map', '0:a:0', '-vn', ...audioOptions([{ language }]), ...dashOptions(segmentSeconds, 1)],
    },
  ],
});

export const encodingArguments = ({
  sourcePath,
  outputDir,
  probe,
  ladder,
  segmentSeconds,
  audio = planAudioTracks({ probe }),
  thumbnails = null,
}: {
  sourcePath: string;
  outputDir: string;
  probe: SourceProbe;
  ladder: LadderRung[];
  segmentSeconds: number;
  /** Every source stream when not said (planAudioTracks). */
  audio?: readonly AudioTrackPlan[];
  /** The seek-preview sprites, made from the same decode; none when null. */
  thumbnails?: ThumbnailGrid | null;
}): EncodingArguments => {
  const branches = [...ladder.map((_, index) => `in${index}`), 'inPoster', ...(thumbnails ? ['inThumbnails'] : [])];
  const poster = posterSize(probe);
  const posterAtSeconds = (probe.durationSeconds * 0.1).toFixed(3);
  // Square pixels on every rung: left alone, scale would keep the display aspect of a rung
  // whose width was rounded by giving it a SAR like 640:639, which some players ignore.
  const complexFilter = [
    `[0:v:0]split=${branches.length}${branches.map((branch) => `[${branch}]`).join('')}`,
    ...ladder.map((rung, index) => `[in${index}]scale=${rung.width}:${rung.height},setsar=1[v${index}]`),
    `[inPoster]select='gte(t,${posterAtSeconds})*isnan(prev_selected_t)',scale=${poster.width}:${poster.height},setsar=1[poster]`,
    // One frame per interval (the nearest to each instant), tiled into sprites as it comes.
    // ffmpeg prints no progress line until every output has written its header, which a sprite
    // output does at its first sprite, columns × rows intervals in (at the very end of a short
    // title): so a placeholder sprite of the first frame goes out first, as thumbnails-0.jpg,
    // which the package leaves out.
    ...(thumbnails
      ? [
          `[inThumbnails]fps=1/${thumbnails.intervalSeconds},scale=${thumbnails.tileWidth}:${thumbnails.tileHeight},setsar=1,split[thumbnailFrames][firstThumbnail]`,
          `[firstThumbnail]trim=end_frame=1,${tile(thumbnails)}[placeholderSprite]`,
          `[thumbnailFrames]${tile(thumbnails)}[sprites]`,
          '[placeholderSprite][sprites]concat=n=2:v=1:a=0[thumbnails]',
        ]
      : []),
  ].join(';');

  // Every rung gets a keyframe at the same instants, so a player can switch at any segment.
  const keyframeInterval = String(Math.max(1, Math.round(probe.frameRate * segmentSeconds)));
  const hasAudio = audio.length > 0;

  const packageOptions = [
    ...ladder.flatMap((_, index) => ['-map', `[v${index}]`]),
    ...audio.flatMap((track) => ['-map', track.map]),
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'],
    ...ladder.flatMap((rung, index) => [
      `-b:v:${index}`,
      `${rung.videoBitrateKbps}k`,
      `-maxrate:v:${index}`,
      `${Math.round(rung.videoBitrateKbps * 1.07)}k`,
      `-bufsize:v:${index}`,
      `${Math.round(rung.videoBitrateKbps * 1.5)}k`,
    ]),
    ...['-g', keyframeInterval, '-keyint_min', keyframeInterval, '-sc_threshold', '0'],
    ...['-force_key_frames', `expr:gte(t,n_forced*${segmentSeconds})`],
    ...(hasAudio ? audioOptions(audio) : []),
    // One adaptation set per video rung, because the muxer refuses a set whose rungs differ in
    // display aspect by their rounded widths (426x240 beside 640x360); the package's finishing
    // step merges them back into one set, so players switch between every rung.
    ...dashOptions(segmentSeconds, ladder.length + audio.length),
  ];
  const posterOptions = ['-map', '[poster]', '-frames:v', '1', '-q:v', '3', '-update', '1'];
  const thumbnailOptions = ['-map', '[thumbnails]', '-q:v', '5', '-start_number', '0'];

  return {
    inputs: [
      { path: sourcePath, options: [] },
      // An added track longer than the title would stretch the presentation past the video.
      ...audio.flatMap((track) =>
        track.path === null ? [] : [{ path: track.path, options: ['-t', probe.durationSeconds.toFixed(3)] }],
      ),
    ],
    // The progress line is printed whatever the log level, so errors stay easy to find.
    inputOptions: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-stats'],
    complexFilter,
    outputs: [
      { target: join(outputDir, manifestFileName), options: packageOptions },
      { target: join(outputDir, posterFileName), options: posterOptions },
      ...(thumbnails ? [{ target: join(outputDir, thumbnailFilePattern), options: thumbnailOptions }] : []),
    ],
  };
};

/** The same run as one argument list, in the order fluent-ffmpeg builds it. */
export const ffmpegCommandLine = (encoding: EncodingArguments): string[] => [
  ...encoding.inputOptions,
  ...encoding.inputs.flatMap((input) => [...input.options, '-i', input.path]),
  '-y',
  ...(encoding.complexFilter === '' ? [] : ['-filter_complex', encoding.complexFilter]),
  ...encoding.outputs.flatMap((output) => [...output.options, output.target]),
];
