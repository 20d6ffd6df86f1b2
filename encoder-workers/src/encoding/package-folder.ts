/**
 * A package folder appears whole or not at all: it is built in origin/.partial/ and renamed into
 * origin/<titleId>/<encodingId>/ once index.json is written. A job that ran before (and crashed
 * before recording its result) finds its package there and reports it again.
 */
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalLanguage, type PackageIndexSummary, type PackageTracks } from '@marquee/domain';
import { type PackageIndex, pathExists, readPackageIndex } from '@marquee/platform';
import type { EncodedPackage } from './encode-package';
import { manifestFileName, posterFileName } from './encoding-arguments';
import { EncodingError, isEncodingError } from './encoding-error';
import { attributeOf } from './merge-video-adaptation-sets';
import { adaptationSetsOf } from './package-manifest-tracks';

/** Folder inside the origin where packages are built, so the final rename stays on one filesystem. */
export const partialFolderName = '.partial';

// Ids become folder names; one with a slash or dots could write outside the title's folder.
const safeSegment = /^(?!\.{1,2}$)[A-Za-z0-9._-]+$/;

/** What a package made before tracks existed carries: its audio sets' languages, nothing else. */
const tracksOfManifest = (mpd: string): PackageTracks => ({
  audio: adaptationSetsOf(mpd)
    .filter((set) => set.contentType === 'audio')
    .map((set) => ({ language: canonicalLanguage(attributeOf(set.attributes, 'lang') ?? '') ?? null, trackId: null })),
  captions: [],
  thumbnails: null,
});

/** The tracks index.json records, or for an older package, what its manifest says. */
export const tracksOfPackage = async (dir: string, index: PackageIndex): Promise<PackageTracks> =>
  index.tracks ?? tracksOfManifest(await readFile(join(dir, manifestFileName), 'utf8'));

const resultOf = async (dir: string, { index, summary }: { index: PackageIndex; summary: PackageIndexSummary }) => {
  const folder = `${index.titleId}/${index.encodingId}`;
  return {
    ladder: index.ladder,
    manifestPath: `${folder}/${manifestFileName}`,
    posterPath: `${folder}/${posterFileName}`,
    packageIndex: summary,
    durationSeconds: index.durationSeconds,
    encodeSeconds: index.encodeSeconds,
    tracks: await tracksOfPackage(dir, index),
  } satisfies EncodedPackage;
};

/**
 * Runs `build` in a fresh folder under origin/.partial (it writes the package and its
 * index.json) and renames the folder into place; the folder is removed if anything fails.
 */
export const buildPackageFolder = async (
  { originDir, titleId, encodingId }: { originDir: string; titleId: string; encodingId: string },
  build: (workDir: string) => Promise<{ index: PackageIndex; summary: PackageIndexSummary }>,
): Promise<EncodedPackage> => {
  for (const [name, value] of [
    ['titleId', titleId],
    ['encodingId', encodingId],
  ]) {
    if (!safeSegment.test(value ?? '')) throw new TypeError(`${name} "${value}" cannot be used as a folder name.`);
  }
  try {
    const finalDir = join(originDir, titleId, encodingId);
    if (await pathExists(finalDir)) return await resultOf(finalDir, await readPackageIndex(finalDir));

    await mkdir(join(originDir, partialFolderName), { recursive: true });
    const workDir = await mkdtemp(join(originDir, partialFolderName, `${encodingId}-`));
    try {
      const written = await build(workDir);
      await mkdir(join(originDir, titleId), { recursive: true });
      try {
        await rename(workDir, finalDir);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Another run of the same job got there first; its package is as good as this one.
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
        await rm(workDir, { recursive: true, force: true });
        return await resultOf(finalDir, await readPackageIndex(finalDir));
      }
      return await resultOf(finalDir, written);
    } catch (error) {
      await rm(workDir, { recursive: true, force: true });
      throw error;
    }
  } catch (error) {
    if (isEncodingError(error)) throw error;
    // The origin disk or folder failed us (full, not writable): for operators, though said plainly.
    const failure = error as NodeJS.ErrnoException;
    throw new EncodingError('encoder-failed', `the package could not be written (${failure.code ?? failure.message})`);
  }
};
