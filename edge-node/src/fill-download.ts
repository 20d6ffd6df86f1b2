import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  encodePackagePath,
  type Logger,
  mapFewAtATime,
  type PackageFile,
  type PackageIndex,
  packageIndexFileName,
  parsePackageIndex,
  redactContentToken,
  syncFolder,
  writeFileDurably,
} from '@marquee/platform';
import { DiskFull, type EdgeDisk, isDiskFull } from './content-disk';
import type { EdgeMetrics } from './edge-metrics';
import { downloadVerified, fetchUpstreamText, type RateLimiter, UpstreamError, upstreamPackageBase } from './upstream';

/*
 * Downloading one package from the upstream: its index first (to know its size before room is
 * made), then the files not yet on disk, in parallel, each verified against the index, into a
 * partial folder that is moved into place whole.
 *
 * Durable before it is reported: each file is flushed as it is written (the disk's write stream),
 * and the folders that name them once the package is whole and again once it is in place, so a
 * power cut after EdgeFillCompleted never leaves the edge serving a file that is not on its disk.
 */

const fileAttempts = { mismatch: 2, network: 3 };

/** `base` is the package's folder upstream, a fill token in its path. */
export type PackageSource = { titleId: string; encodingId: string; base: string };

/** Where a package is upstream, with a content token for it that outlasts a slow fill. */
export const packageSource = (options: {
  upstream: string;
  contentTokenSecret: string;
  titleId: string;
  encodingId: string;
}): PackageSource => ({
  titleId: options.titleId,
  encodingId: options.encodingId,
  base: upstreamPackageBase({ ...options, ttlSeconds: 6 * 3600 }),
});

export type FetchedIndex = { index: PackageIndex; text: string; bytes: number };

/** The package's index from the upstream; it must describe the package asked for. */
export const fetchPackageIndex = async (source: PackageSource, signal: AbortSignal): Promise<FetchedIndex> => {
  const text = await fetchUpstreamText(`${source.base}${packageIndexFileName}`, signal);
  const { index } = parsePackageIndex(text, redactContentToken(`${source.base}${packageIndexFileName}`));
  if (index.titleId !== source.titleId || index.encodingId !== source.encodingId)
    throw new UpstreamError(`the upstream's index.json describes ${index.titleId}/${index.encodingId}`, true);
  return { index, text, bytes: index.totalBytes + Buffer.byteLength(text) };
};

const sizeOf = (path: string) =>
  stat(path).then(
    (stats) => stats.size,
    () => -1,
  );

/** Flushes a folder's entries (the files renamed into it) to disk. */
/** The package's folder and every folder inside it that holds a file. */
const foldersOf = (dir: string, files: readonly PackageFile[]) => {
  const folders = new Set([dir]);
  for (const file of files) {
    const parts = file.path.split('/').slice(0, -1);
    for (let n = 1; n <= parts.length; n++) folders.add(join(dir, ...parts.slice(0, n)));
  }
  return [...folders];
};

/** Downloads cut off by a crash leave `.part` files; they are started again from nothing. */
const removeUnfinished = async (dir: string) => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  await Promise.all(
    entries
      .filter((entry) => entry.isFile() && entry.name.endsWith('.part'))
      .map((entry) => rm(join(entry.parentPath, entry.name), { force: true })),
  );
};

export type DownloadOptions = {
  disk: EdgeDisk;
  source: PackageSource;
  fetched: FetchedIndex;
  /** Files downloaded at the same time. */
  concurrency: number;
  limiter: RateLimiter | undefined;
  signal: AbortSignal;
  /** Bytes the package has on disk so far; it goes down when a file is fetched again. */
  progress: { bytesDone: number };
  metrics: EdgeMetrics;
  logger: Logger;
};

const downloadFile = async (options: DownloadOptions, dir: string, file: PackageFile) => {
  const { source, progress, signal } = options;
  const destination = join(dir, ...file.path.split('/'));
  for (let attempt = 1; ; attempt++) {
    let done = 0;
    try {
      await downloadVerified({
        url: `${source.base}${encodePackagePath(file.path)}`,
        expected: file,
        destination,
        temporary: options.disk.temporaryBeside(destination),
        open: options.disk.openForWriting,
        limiter: options.limiter,
        // A signal of its own per file: the fill's would collect a listener for every file.
        signal: AbortSignal.any([signal]),
        onBytes: (bytes) => {
          done += bytes;
          progress.bytesDone += bytes;
          options.metrics.filled(bytes);
        },
      });
      return;
    } catch (error) {
      progress.bytesDone -= done;
      if (signal.aborted) throw error;
      // No room: fetching it again would only fill the disk again.
      if (isDiskFull(error)) throw new DiskFull(file.path, error);
      // A wrong answer is fetched once more; a connection cut mid-file a few times, with a pause.
      const permanent = error instanceof UpstreamError && error.permanent;
      if (attempt >= (permanent ? fileAttempts.mismatch : fileAttempts.network)) throw error;
      options.logger.warn(
        { file: file.path, attempt, problem: error instanceof Error ? error.message : String(error) },
        'fill download failed; fetching it again',
      );
      await sleep(permanent ? 0 : 250 * 2 ** attempt, undefined, { signal });
    }
  }
};

/** Fetches the files not yet verified on disk and moves the finished package into place. */
export const downloadPackage = async (options: DownloadOptions) => {
  const { disk, source, fetched } = options;
  if (disk.holds(source.titleId, source.encodingId)) return;
  const dir = disk.partialDir(source.titleId, source.encodingId);
  await removeUnfinished(dir);
  const missing: PackageFile[] = [];
  for (const file of fetched.index.files) {
    if ((await sizeOf(join(dir, ...file.path.split('/')))) === file.size) options.progress.bytesDone += file.size;
    else missing.push(file);
  }
  // One file failing fails the package: the downloads still running are stopped (each removes
  // its part as it stops) before the failure is reported, so that nothing goes on writing into
  // partial/ after the fill has given its room back.
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  let failure: { error: unknown } | undefined;
  await mapFewAtATime(
    missing,
    async (file) => {
      if (signal.aborted) return;
      try {
        await downloadFile({ ...options, signal }, dir, file);
      } catch (error) {
        failure ??= { error };
        stop.abort();
      }
    },
    options.concurrency,
  );
  if (failure) throw failure.error;
  options.signal.throwIfAborted();
  await writeFileDurably(join(dir, packageIndexFileName), fetched.text).catch((error) => {
    throw isDiskFull(error) ? new DiskFull(packageIndexFileName, error) : error;
  });
  await Promise.all(foldersOf(dir, fetched.index.files).map(syncFolder));
  await disk.install(source.titleId, source.encodingId);
  await syncFolder(join(disk.contentDir, source.titleId));
  await syncFolder(disk.contentDir);
};
