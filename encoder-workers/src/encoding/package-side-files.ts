/**
 * The files of a package that ffmpeg does not write: the caption files and their HLS playlists,
 * and the sprites' image playlist. Shared by a first encode and a revision.
 */
import { copyFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalLanguage, languageName, type ThumbnailGrid } from '@marquee/domain';
import { type CaptionsSet, captionsPlaylist, type ThumbnailsSet, thumbnailsPlaylist } from './package-manifest-tracks';
import { captionsFileName, captionsPlaylistFileName, thumbnailsPlaylistFileName } from './package-tracks';

/** A WebVTT file of the title (CaptionsAdded), already validated and normalised. */
export type CaptionsFile = { language: string; path: string; sha256: string };

const bitsPerSecond = (bytes: number, durationSeconds: number) => Math.max(1, Math.ceil((bytes * 8) / durationSeconds));

/** One file per language (the last given wins), in the order given, with canonical tags. */
export const captionsByLanguage = (captions: readonly CaptionsFile[]): CaptionsFile[] => {
  const byLanguage = new Map<string, CaptionsFile>();
  for (const file of captions) {
    const language = canonicalLanguage(file.language);
    if (language === undefined) throw new TypeError(`"${file.language}" is not a language tag for captions`);
    byLanguage.set(language, { ...file, language });
  }
  return [...byLanguage.values()];
};

/** Copies each caption file in as captions-<tag>.vtt beside its one-segment playlist. */
export const writeCaptions = async (
  dir: string,
  captions: readonly CaptionsFile[],
  durationSeconds: number,
): Promise<CaptionsSet[]> =>
  Promise.all(
    captions.map(async ({ language, path }) => {
      const file = join(dir, captionsFileName(language));
      await copyFile(path, file);
      await writeFile(join(dir, captionsPlaylistFileName(language)), captionsPlaylist(language, durationSeconds));
      return {
        language,
        name: languageName(language),
        bandwidth: bitsPerSecond((await stat(file)).size, durationSeconds),
      };
    }),
  );

/** The sprites in `dir` as the manifests describe them: their bandwidth is what fetching all of them costs. */
export const describeThumbnails = async (
  dir: string,
  grid: ThumbnailGrid,
  durationSeconds: number,
): Promise<{ set: ThumbnailsSet; playlist: string }> => {
  const sprites = (await readdir(dir)).filter((file) => /^thumbnails-[1-9]\d*\.jpg$/.test(file));
  const bytes = (await Promise.all(sprites.map((file) => stat(join(dir, file))))).reduce(
    (total, { size }) => total + size,
    0,
  );
  return {
    set: { grid, bandwidth: bitsPerSecond(bytes, durationSeconds) },
    playlist: thumbnailsPlaylist(grid, sprites.length, durationSeconds),
  };
};

/** The sprites ffmpeg wrote, listed in their image playlist. */
export const writeThumbnailsPlaylist = async (
  dir: string,
  grid: ThumbnailGrid,
  durationSeconds: number,
): Promise<ThumbnailsSet> => {
  const { set, playlist } = await describeThumbnails(dir, grid, durationSeconds);
  await writeFile(join(dir, thumbnailsPlaylistFileName), playlist);
  return set;
};
