/**
 * The one ffmpeg run that makes a package: the source is decoded once and split into every
 * rung plus the poster. Kept as plain data so the encode benchmark can run ffmpeg by hand
 * with exactly the same settings.
 */
import { join } from 'node:path';
import type { LadderRung, SourceProbe } from '@marquee/domain';

export const manifestFileName = 'manifest.mpd';
/** The HLS master playlist ffmpeg's DASH muxer writes beside the manifest, over the same segments. */
export const masterPlaylistFileName = 'master.m3u8';
export const posterFileName = 'poster.jpg';
export const posterMaxWidth = 640;
export const audioBitrateKbps = 128;

export type EncodingArguments = {
  input: string;
  inputOptions: string[];
  complexFilter: string;
  outputs: { target: string; options: string[] }[];
};

const even = (value: number) => Math.max(2, Math.round(value / 2) * 2);

const posterSize = (probe: SourceProbe) => {
  const width = Math.min(even(probe.width), posterMaxWidth);
  return { width, height: even((width * probe.height) / probe.width) };
};

/** `id=0,streams=0 id=1,streams=1 … id=<n>,streams=a`: video streams come first, in ladder order. */
const adaptationSets = (videoStreams: number, hasAudio: boolean) =>
  [
    ...Array.from({ length: videoStreams }, (_, index) => `id=${index},streams=${index}`),
    ...(hasAudio ? [`id=${videoStreams},streams=a`] : []),
  ].join(' ');

export const encodingArguments = ({
  sourcePath,
  outputDir,
  probe,
  ladder,
  segmentSeconds,
}: {
  sourcePath: string;
  outputDir: string;
  probe: SourceProbe;
  ladder: LadderRung[];
  segmentSeconds: number;
}): EncodingArguments => {
  const branches = ladder.map((_, index) => `in${index}`);
  const poster = posterSize(probe);
  const posterAtSeconds = (probe.durationSeconds * 0.1).toFixed(3);
  // Square pixels on every rung: left alone, scale would keep the display aspect of a rung
  // whose width was rounded by giving it a SAR like 640:639, which some players ignore.
  const complexFilter = [
    `[0:v:0]split=${ladder.length + 1}${branches.map((branch) => `[${branch}]`).join('')}[inPoster]`,
    ...ladder.map((rung, index) => `[in${index}]scale=${rung.width}:${rung.height},setsar=1[v${index}]`),
    `[inPoster]select='gte(t,${posterAtSeconds})*isnan(prev_selected_t)',scale=${poster.width}:${poster.height},setsar=1[poster]`,
  ].join(';');

  // Every rung gets a keyframe at the same instants, so a player can switch at any segment.
  const keyframeInterval = String(Math.max(1, Math.round(probe.frameRate * segmentSeconds)));
  const hasAudio = probe.audioCodec !== null;

  const packageOptions = [
    ...ladder.flatMap((_, index) => ['-map', `[v${index}]`]),
    ...(hasAudio ? ['-map', '0:a:0'] : []),
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
    ...(hasAudio ? ['-c:a', 'aac', '-b:a', `${audioBitrateKbps}k`, '-ac', '2'] : []),
    ...['-f', 'dash', '-dash_segment_type', 'mp4', '-seg_duration', String(segmentSeconds)],
    ...['-use_template', '1', '-use_timeline', '1'],
    // One adaptation set per video rung, because the muxer refuses a set whose rungs differ in
    // display aspect by their rounded widths (426x240 beside 640x360); the package's finishing
    // step merges them back into one set, so players switch between every rung.
    ...['-adaptation_sets', adaptationSets(ladder.length, hasAudio)],
    ...['-init_seg_name', 'init-$RepresentationID$.m4s'],
    ...['-media_seg_name', 'segment-$RepresentationID$-$Number%05d$.m4s'],
    // HLS (fMP4) media playlists and a master over the very same segment files.
    ...['-hls_playlist', '1', '-hls_master_name', masterPlaylistFileName],
  ];
  const posterOptions = ['-map', '[poster]', '-frames:v', '1', '-q:v', '3', '-update', '1'];

  return {
    input: sourcePath,
    // The progress line is printed whatever the log level, so errors stay easy to find.
    inputOptions: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-stats'],
    complexFilter,
    outputs: [
      { target: join(outputDir, manifestFileName), options: packageOptions },
      { target: join(outputDir, posterFileName), options: posterOptions },
    ],
  };
};

/** The same run as one argument list, in the order fluent-ffmpeg builds it. */
export const ffmpegCommandLine = (encoding: EncodingArguments): string[] => [
  ...encoding.inputOptions,
  '-i',
  encoding.input,
  '-y',
  '-filter_complex',
  encoding.complexFilter,
  ...encoding.outputs.flatMap((output) => [...output.options, output.target]),
];
