/**
 * Applies planPackageNames to the work folder ffmpeg just wrote: the manifest and playlists
 * rewritten, then every representation's files renamed. Runs before index.json and the rename
 * into the origin, so a package is never seen with ffmpeg's names.
 */
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestFileName, masterPlaylistFileName } from './encoding-arguments';
import { EncodingError } from './encoding-error';
import { isFfmpegMediaPlaylist, type PackageTrackTexts, planPackageNames } from './package-names';
import { measureBitRates } from './segment-bit-rates';
import { UnexpectedPackage } from './unexpected-package';

export const namePackageFiles = async (dir: string, tracks: PackageTrackTexts = {}): Promise<void> => {
  const files = await readdir(dir);
  const read = (file: string) => readFile(join(dir, file), 'utf8');
  const playlists = files.filter(isFfmpegMediaPlaylist);
  let plan: ReturnType<typeof planPackageNames>;
  try {
    const mediaPlaylists = Object.fromEntries(
      await Promise.all(playlists.map(async (file) => [file, await read(file)] as const)),
    );
    plan = planPackageNames(
      {
        files,
        manifestFile: manifestFileName,
        manifest: await read(manifestFileName),
        masterFile: masterPlaylistFileName,
        master: await read(masterPlaylistFileName),
        mediaPlaylists,
        bitRates: await measureBitRates(dir, mediaPlaylists),
      },
      tracks,
    );
  } catch (error) {
    if (error instanceof UnexpectedPackage) throw new EncodingError('encoder-failed', error.message);
    throw error;
  }
  await Promise.all(Object.entries(plan.rewrites).map(([file, text]) => writeFile(join(dir, file), text)));
  // ffmpeg's names start with a digit after the prefix and ours with v or a: no rename overwrites another file.
  for (const { from, to } of plan.renames) await rename(join(dir, from), join(dir, to));
};
