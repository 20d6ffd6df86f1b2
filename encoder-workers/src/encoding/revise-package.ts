/**
 * A revision of a package: the title's audio tracks and captions as they are now, over the very
 * same video. Every unchanged file of the base (video, the source's audio, kept tracks, sprites,
 * poster) is hard-linked into the new folder, so it is byte-identical and index.json gives it the
 * same sha256 (an edge holding the base copies it from its own disk); each new audio file is
 * encoded alone and grafted into the manifest and master; captions are replaced wholesale.
 * No video is re-encoded.
 */
import { copyFile, link, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { canonicalLanguage } from '@marquee/domain';
import {
  type EncodingProgress,
  type PackageIndex,
  readPackageIndex,
  UnreadablePackageIndex,
  writePackageIndex,
} from '@marquee/platform';
import type { EncodedPackage } from './encode-package';
import { audioEncodingArguments, manifestFileName, masterPlaylistFileName } from './encoding-arguments';
import { EncodingError } from './encoding-error';
import { namePackageFiles } from './name-package-files';
import { buildPackageFolder, partialFolderName, tracksOfPackage } from './package-folder';
import {
  adaptationSetsOf,
  labelAudioSets,
  replaceAdaptationSets,
  withCaptionAndThumbnailSets,
  withMasterTracks,
} from './package-manifest-tracks';
import { type CaptionsFile, captionsByLanguage, describeThumbnails, writeCaptions } from './package-side-files';
import { audioRenditions, type ExtraAudioTrack } from './package-tracks';
import { runFfmpeg, throwIfAborted } from './run-ffmpeg';
import { measureBitRates } from './segment-bit-rates';
import { UnexpectedPackage } from './unexpected-package';

export type RevisePackageOptions = {
  originDir: string;
  titleId: string;
  /** The succeeded encoding whose video the revision keeps. */
  baseEncodingId: string;
  encodingId: string;
  /** The title's added audio tracks as they are now: others of the base are dropped, new ones encoded. */
  audioTracks: readonly ExtraAudioTrack[];
  /** The title's captions as they are now. */
  captions: readonly CaptionsFile[];
  /** Defaults to FFMPEG_PATH, then the ffmpeg on PATH. */
  ffmpegPath?: string;
  segmentSeconds?: number;
  onProgress?: (progress: EncodingProgress) => void;
  signal?: AbortSignal;
};

type RevisionTrack = { id: string; language: string | null; trackId: string | null };

const audioIdOfFile = (file: string) => /^(?:init|segment|media)-(a\d+)[-.]/.exec(file)?.[1];

/** Files the revision writes itself rather than taking from the base. */
const rewritten = (file: string) =>
  file === manifestFileName || file === masterPlaylistFileName || /^captions-[^/]+\.(vtt|m3u8)$/.test(file);

/** A hard link, or a copy where the origin's filesystem cannot link. */
const linkOrCopy = async (from: string, to: string) => {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
};

const readBase = async (dir: string, encodingId: string): Promise<PackageIndex> => {
  try {
    return (await readPackageIndex(dir)).index;
  } catch (error) {
    if (!(error instanceof UnreadablePackageIndex)) throw error;
    throw new EncodingError('encoder-failed', `the encoding ${encodingId} to revise is not whole at the origin`);
  }
};

export const revisePackage = async (options: RevisePackageOptions): Promise<EncodedPackage> => {
  const started = performance.now();
  const { originDir, titleId, baseEncodingId, encodingId, signal } = options;
  const captions = captionsByLanguage(options.captions);
  const segmentSeconds = options.segmentSeconds ?? 4;
  const ffmpegPath = options.ffmpegPath ?? process.env.FFMPEG_PATH ?? 'ffmpeg';

  return buildPackageFolder({ originDir, titleId, encodingId }, async (workDir) => {
    throwIfAborted(signal);
    const baseDir = join(originDir, titleId, baseEncodingId);
    const base = await readBase(baseDir, baseEncodingId);
    const baseTracks = await tracksOfPackage(baseDir, base);
    const baseManifest = await readFile(join(baseDir, manifestFileName), 'utf8');
    const baseMaster = await readFile(join(baseDir, masterPlaylistFileName), 'utf8');

    // The base's audio sets are in the order of its tracks.
    const baseAudioIds = adaptationSetsOf(baseManifest)
      .filter((set) => set.contentType === 'audio')
      .map((set) => set.representationIds[0] ?? '');
    if (baseAudioIds.length !== baseTracks.audio.length) {
      throw new EncodingError(
        'encoder-failed',
        `the encoding ${baseEncodingId} has ${baseAudioIds.length} audio sets for ${baseTracks.audio.length} audio tracks`,
      );
    }
    const wanted = new Set(options.audioTracks.map((track) => track.trackId));
    const baseAudio: RevisionTrack[] = baseTracks.audio.map((track, index) => ({
      ...track,
      id: baseAudioIds[index] ?? '',
    }));
    const kept = baseAudio.filter((track) => track.trackId === null || wanted.has(track.trackId));
    const dropped = new Set(baseAudio.filter((track) => !kept.includes(track)).map((track) => track.id));
    const added = options.audioTracks.filter(
      (track) => !baseAudio.some((existing) => existing.trackId === track.trackId),
    );

    // Everything unchanged, linked; index.json keeps the hashes the base measured.
    const knownSha256 = new Map<string, string>();
    for (const file of base.files) {
      const audioId = audioIdOfFile(file.path);
      if (rewritten(file.path) || (audioId !== undefined && dropped.has(audioId))) continue;
      await linkOrCopy(join(baseDir, file.path), join(workDir, file.path));
      knownSha256.set(file.path, file.sha256);
    }
    throwIfAborted(signal);

    // New tracks take numbers after every one the base used, so no name means two things.
    const firstFree =
      Math.max(-1, ...baseAudioIds.map((id) => Number(id.slice(1))).filter((n) => Number.isInteger(n))) + 1;
    const addedTracks: RevisionTrack[] = [];
    const addedSets: string[] = [];
    for (const [index, track] of added.entries()) {
      const number = firstFree + index;
      const language = canonicalLanguage(track.language) ?? null;
      const audioDir = await mkdtemp(join(originDir, partialFolderName, `${encodingId}-a${number}-`));
      try {
        await runFfmpeg({
          encoding: audioEncodingArguments({
            path: track.path,
            outputDir: audioDir,
            language,
            durationSeconds: base.durationSeconds,
            segmentSeconds,
          }),
          ffmpegPath,
          durationSeconds: base.durationSeconds,
          sourcePath: track.path,
          workDir: audioDir,
          onProgress: options.onProgress && scaledProgress(options.onProgress, index, added.length),
          signal,
        });
        await namePackageFiles(audioDir, { audio: [{ language, trackId: track.trackId }], firstAudioIndex: number });
        const [set] = adaptationSetsOf(await readFile(join(audioDir, manifestFileName), 'utf8'));
        if (set === undefined || set.contentType !== 'audio') {
          throw new EncodingError('encoder-failed', `ffmpeg wrote no audio set for the track ${track.trackId}`);
        }
        addedSets.push(set.text);
        const id = `a${number}`;
        for (const file of await readdir(audioDir)) {
          if (audioIdOfFile(file) === id) await rename(join(audioDir, file), join(workDir, file));
        }
        addedTracks.push({ id, language, trackId: track.trackId });
      } finally {
        await rm(audioDir, { recursive: true, force: true });
      }
      throwIfAborted(signal);
    }

    const audio = audioRenditions([...kept, ...addedTracks]);
    const captionSets = await writeCaptions(workDir, captions, base.durationSeconds);
    // The sprites and their playlist are the base's, linked.
    const thumbnails =
      baseTracks.thumbnails && (await describeThumbnails(workDir, baseTracks.thumbnails, base.durationSeconds)).set;
    let manifest: string;
    let master: string;
    try {
      // Every media playlist of the revision is in the folder by now: the base's kept ones and the new tracks'.
      const playlists = (await readdir(workDir)).filter((file) => /^media-.+\.m3u8$/.test(file));
      const bitRates = await measureBitRates(
        workDir,
        Object.fromEntries(
          await Promise.all(
            playlists.map(async (file) => [file, await readFile(join(workDir, file), 'utf8')] as const),
          ),
        ),
      );
      const withAudio = replaceAdaptationSets(
        baseManifest,
        (set) => set.contentType === 'audio' && set.representationIds.some((id) => dropped.has(id)),
        addedSets,
      );
      manifest = withCaptionAndThumbnailSets(labelAudioSets(withAudio, audio), { captions: captionSets, thumbnails });
      master = withMasterTracks(baseMaster, { audio, captions: captionSets, thumbnails, bitRates });
    } catch (error) {
      if (error instanceof UnexpectedPackage) throw new EncodingError('encoder-failed', error.message);
      throw error;
    }
    await writeFile(join(workDir, manifestFileName), manifest);
    await writeFile(join(workDir, masterPlaylistFileName), master);
    throwIfAborted(signal);

    return writePackageIndex(
      workDir,
      {
        titleId,
        encodingId,
        ladder: base.ladder,
        durationSeconds: base.durationSeconds,
        encodeSeconds: Math.round(performance.now() - started) / 1000,
        tracks: {
          audio: [...kept, ...addedTracks].map(({ language, trackId }) => ({ language, trackId })),
          captions: captions.map(({ language, sha256 }) => ({ language, sha256 })),
          thumbnails: baseTracks.thumbnails,
        },
      },
      { knownSha256 },
    );
  });
};

/** Progress over several ffmpeg runs, as one. */
const scaledProgress =
  (report: (progress: EncodingProgress) => void, run: number, runs: number) => (progress: EncodingProgress) =>
    report({ ...progress, percent: ((run + progress.percent / 100) / runs) * 100 });
