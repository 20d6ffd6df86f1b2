/**
 * Encodes one source into a package at origin/<titleId>/<encodingId>/ (a DASH manifest and an
 * HLS master over the same fMP4 segments): ffprobe if needed, plan the ladder and the tracks, one
 * ffmpeg run for every rung, every audio track, the poster and the seek-preview sprites, files
 * named by rung and track, caption files beside them, index.json, then one rename.
 * The package folder appears whole or not at all; a failure leaves nothing behind.
 */

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LadderRung, PackageIndexSummary, PackageTracks, SourceProbe } from '@marquee/domain';
import { type EncodingProgress, pathExists, writePackageIndex } from '@marquee/platform';
import {
  encodingArguments,
  manifestFileName,
  masterPlaylistFileName,
  placeholderThumbnailFileName,
  posterFileName,
} from './encoding-arguments';
import { EncodingError } from './encoding-error';
import { defaultRungs, planLadder, type Rung } from './ladder';
import { namePackageFiles } from './name-package-files';
import { buildPackageFolder } from './package-folder';
import { type CaptionsFile, captionsByLanguage, writeCaptions, writeThumbnailsPlaylist } from './package-side-files';
import { type ExtraAudioTrack, planAudioTracks, planThumbnails } from './package-tracks';
import { probeSource } from './probe-source';
import { runFfmpeg, throwIfAborted } from './run-ffmpeg';

// The worker catches it where it calls encodePackage.
export { EncodingError, type EncodingFailureKind, isEncodingError } from './encoding-error';
export { partialFolderName } from './package-folder';
export type { CaptionsFile } from './package-side-files';
export type { ExtraAudioTrack } from './package-tracks';

export type EncodePackageOptions = {
  sourcePath: string;
  /** From SourceUploaded; when absent (or naming no audio streams) the source is probed here. */
  probe?: SourceProbe;
  /** The languages of the source's audio streams, in order, as given at upload: over the streams' tags. */
  audioLanguages?: readonly (string | null)[];
  /** Audio files added to the title, each its own track after the source's. */
  audioTracks?: readonly ExtraAudioTrack[];
  /** WebVTT files, already validated. */
  captions?: readonly CaptionsFile[];
  /** Seek-preview sprites; true unless said. */
  thumbnails?: boolean;
  originDir: string;
  titleId: string;
  encodingId: string;
  rungs?: readonly Rung[];
  /** Defaults to FFMPEG_PATH, then the ffmpeg on PATH. */
  ffmpegPath?: string;
  /** Defaults to FFPROBE_PATH, then the ffprobe on PATH. */
  ffprobePath?: string;
  segmentSeconds?: number;
  onProgress?: (progress: EncodingProgress) => void;
  signal?: AbortSignal;
};

export type EncodedPackage = {
  ladder: LadderRung[];
  /** Relative to the origin folder, '/'-separated: '<titleId>/<encodingId>/manifest.mpd'. */
  manifestPath: string;
  posterPath: string;
  packageIndex: PackageIndexSummary;
  durationSeconds: number;
  encodeSeconds: number;
  tracks: PackageTracks;
};

/** The probe the encode needs: one that lists every audio stream (probes made before tracks name only the first). */
const probeOf = async (options: EncodePackageOptions): Promise<SourceProbe> => {
  const given = options.probe;
  if (given !== undefined && (given.audioStreams !== undefined || given.audioCodec === null)) return given;
  const probed = await probeSource(options.sourcePath, options.ffprobePath ?? process.env.FFPROBE_PATH ?? 'ffprobe');
  return given === undefined ? probed : { ...given, audioStreams: probed.audioStreams };
};

export const encodePackage = async (options: EncodePackageOptions): Promise<EncodedPackage> => {
  const started = performance.now();
  const { sourcePath, originDir, titleId, encodingId, signal } = options;
  const captions = captionsByLanguage(options.captions ?? []);
  return buildPackageFolder({ originDir, titleId, encodingId }, async (workDir) => {
    throwIfAborted(signal);
    const probe = await probeOf(options);
    throwIfAborted(signal);
    const ladder = planLadder(probe, options.rungs ?? defaultRungs);
    const audio = planAudioTracks({ probe, audioLanguages: options.audioLanguages, audioTracks: options.audioTracks });
    const thumbnails = options.thumbnails === false ? null : planThumbnails(probe);

    await runFfmpeg({
      encoding: encodingArguments({
        sourcePath,
        outputDir: workDir,
        probe,
        ladder,
        segmentSeconds: options.segmentSeconds ?? 4,
        audio,
        thumbnails,
      }),
      ffmpegPath: options.ffmpegPath ?? process.env.FFMPEG_PATH ?? 'ffmpeg',
      durationSeconds: probe.durationSeconds,
      sourcePath,
      workDir,
      onProgress: options.onProgress,
      signal,
    });
    for (const file of [manifestFileName, masterPlaylistFileName, posterFileName]) {
      if (!(await pathExists(join(workDir, file)))) {
        throw new EncodingError('encoder-failed', `ffmpeg finished without writing ${file}`);
      }
    }
    await rm(join(workDir, placeholderThumbnailFileName), { force: true });
    const captionSets = await writeCaptions(workDir, captions, probe.durationSeconds);
    const thumbnailsSet = thumbnails && (await writeThumbnailsPlaylist(workDir, thumbnails, probe.durationSeconds));
    await namePackageFiles(workDir, { audio, captions: captionSets, thumbnails: thumbnailsSet });
    throwIfAborted(signal);

    const written = await writePackageIndex(workDir, {
      titleId,
      encodingId,
      ladder,
      durationSeconds: probe.durationSeconds,
      encodeSeconds: Math.round(performance.now() - started) / 1000,
      tracks: {
        audio: audio.map(({ language, trackId }) => ({ language, trackId })),
        captions: captions.map(({ language, sha256 }) => ({ language, sha256 })),
        thumbnails,
      },
    });
    throwIfAborted(signal);
    return written;
  });
};
