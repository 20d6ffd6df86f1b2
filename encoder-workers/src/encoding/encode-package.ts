/**
 * Encodes one source into a package at origin/<titleId>/<encodingId>/ (a DASH manifest and an
 * HLS master over the same fMP4 segments): ffprobe if needed, plan the ladder, one ffmpeg run for
 * every rung and the poster, files named by rung, index.json, then one rename.
 * The package folder appears whole or not at all; a failure leaves nothing behind.
 */
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LadderRung, PackageIndexSummary, SourceProbe } from '@marquee/domain';
import { type EncodingProgress, type PackageIndex, readPackageIndex, writePackageIndex } from '@marquee/platform';
import ffmpeg from 'fluent-ffmpeg';
import {
  type EncodingArguments,
  encodingArguments,
  manifestFileName,
  masterPlaylistFileName,
  posterFileName,
} from './encoding-arguments';
import { EncodingError, isEncodingError } from './encoding-error';
import { isProgressLine, parseProgressLine } from './encoding-progress';
import { defaultRungs, planLadder, type Rung } from './ladder';
import { namePackageFiles } from './name-package-files';
import { probeSource } from './probe-source';

// The worker catches it where it calls encodePackage.
export { EncodingError, type EncodingFailureKind, isEncodingError } from './encoding-error';

/** Folder inside the origin where packages are built, so the final rename stays on one filesystem. */
export const partialFolderName = '.partial';

const progressIntervalMs = 250;

export type EncodePackageOptions = {
  sourcePath: string;
  /** From SourceUploaded; when absent the source is probed here. */
  probe?: SourceProbe;
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
};

const cancelled = () => new EncodingError('cancelled', 'the encoding was cancelled');

const throwIfAborted = (signal: AbortSignal | undefined) => {
  if (signal?.aborted) throw cancelled();
};

// Ids become folder names; one with a slash or dots could write outside the title's folder.
const safeSegment = /^(?!\.{1,2}$)[A-Za-z0-9._-]+$/;

const resultOf = ({ index, summary }: { index: PackageIndex; summary: PackageIndexSummary }): EncodedPackage => {
  const folder = `${index.titleId}/${index.encodingId}`;
  return {
    ladder: index.ladder,
    manifestPath: `${folder}/${manifestFileName}`,
    posterPath: `${folder}/${posterFileName}`,
    packageIndex: summary,
    durationSeconds: index.durationSeconds,
    encodeSeconds: index.encodeSeconds,
  };
};

const exists = (path: string) =>
  stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );

export const encodePackage = async (options: EncodePackageOptions): Promise<EncodedPackage> => {
  for (const [name, value] of [
    ['titleId', options.titleId],
    ['encodingId', options.encodingId],
  ]) {
    if (!safeSegment.test(value ?? '')) throw new TypeError(`${name} "${value}" cannot be used as a folder name.`);
  }
  try {
    return await encodeIntoOrigin(options);
  } catch (error) {
    if (isEncodingError(error)) throw error;
    // The origin disk or folder failed us (full, not writable): for operators, though said plainly.
    const failure = error as NodeJS.ErrnoException;
    throw new EncodingError('encoder-failed', `the package could not be written (${failure.code ?? failure.message})`);
  }
};

const encodeIntoOrigin = async (options: EncodePackageOptions): Promise<EncodedPackage> => {
  const started = performance.now();
  const { sourcePath, originDir, titleId, encodingId, signal } = options;

  // A job that ran before (and crashed before recording its result) finds its package whole.
  const finalDir = join(originDir, titleId, encodingId);
  if (await exists(finalDir)) return resultOf(await readPackageIndex(finalDir));
  throwIfAborted(signal);

  const probe =
    options.probe ?? (await probeSource(sourcePath, options.ffprobePath ?? process.env.FFPROBE_PATH ?? 'ffprobe'));
  throwIfAborted(signal);
  const ladder = planLadder(probe, options.rungs ?? defaultRungs);

  await mkdir(join(originDir, partialFolderName), { recursive: true });
  const workDir = await mkdtemp(join(originDir, partialFolderName, `${encodingId}-`));
  try {
    await runFfmpeg({
      encoding: encodingArguments({
        sourcePath,
        outputDir: workDir,
        probe,
        ladder,
        segmentSeconds: options.segmentSeconds ?? 4,
      }),
      ffmpegPath: options.ffmpegPath ?? process.env.FFMPEG_PATH ?? 'ffmpeg',
      durationSeconds: probe.durationSeconds,
      sourcePath,
      workDir,
      onProgress: options.onProgress,
      signal,
    });
    for (const file of [manifestFileName, masterPlaylistFileName, posterFileName]) {
      if (!(await exists(join(workDir, file)))) {
        throw new EncodingError('encoder-failed', `ffmpeg finished without writing ${file}`);
      }
    }
    await namePackageFiles(workDir);
    throwIfAborted(signal);

    const written = await writePackageIndex(workDir, {
      titleId,
      encodingId,
      ladder,
      durationSeconds: probe.durationSeconds,
      encodeSeconds: Math.round(performance.now() - started) / 1000,
    });
    throwIfAborted(signal);

    await mkdir(join(originDir, titleId), { recursive: true });
    try {
      await rename(workDir, finalDir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another run of the same job got there first; its package is as good as this one.
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      await rm(workDir, { recursive: true, force: true });
      return resultOf(await readPackageIndex(finalDir));
    }
    return resultOf(written);
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
};

/** The last thing ffmpeg said that is not a progress line or a generic sign-off, for the content team. */
const lastComplaint = (lines: readonly string[]): string | undefined =>
  lines.findLast(
    (line) => !/^(Conversion failed!?|Exiting normally.*|Error initializing output stream [\d:]+ --\s*)$/.test(line),
  );

const readable = (line: string, sourcePath: string, workDir: string) =>
  line
    .replace(/^(\[[^\]]*@ 0x[0-9a-f]+\]\s*)+/, '')
    .replaceAll(`${workDir}/`, '')
    .replaceAll(sourcePath, basename(sourcePath))
    .trim();

const runFfmpeg = ({
  encoding,
  ffmpegPath,
  durationSeconds,
  sourcePath,
  workDir,
  onProgress,
  signal,
}: {
  encoding: EncodingArguments;
  ffmpegPath: string;
  durationSeconds: number;
  sourcePath: string;
  workDir: string;
  onProgress: ((progress: EncodingProgress) => void) | undefined;
  signal: AbortSignal | undefined;
}): Promise<void> =>
  new Promise((resolve, reject) => {
    const command = ffmpeg().input(encoding.input);
    // Options go in as separate arguments: given one array, fluent-ffmpeg splits any option
    // containing a space, which would break "-adaptation_sets 'id=0,… id=1,…'".
    command.inputOptions(...encoding.inputOptions).complexFilter(encoding.complexFilter);
    for (const output of encoding.outputs) command.output(output.target).outputOptions(...output.options);
    // fluent-ffmpeg keeps one ffmpeg path for the whole process; this job's setting wins.
    command.setFfmpegPath(ffmpegPath);

    const log: string[] = [];
    let lastProgress: EncodingProgress | undefined;
    let lastReportedAt = 0;
    command.on('stderr', (line: string) => {
      // Lines still in the pipe after a cancel are not progress anyone waits for.
      if (signal?.aborted) return;
      const progress = parseProgressLine(line, durationSeconds);
      if (progress) {
        lastProgress = progress;
        const now = performance.now();
        if (onProgress && now - lastReportedAt >= progressIntervalMs) {
          lastReportedAt = now;
          onProgress(progress);
        }
      } else if (line.trim() !== '' && !isProgressLine(line)) {
        log.push(readable(line, sourcePath, workDir));
        if (log.length > 20) log.shift();
      }
    });

    let spawned = false;
    const abort = () => {
      // Before ffmpeg has started there is nothing to kill; 'start' checks the signal instead.
      if (spawned) command.kill('SIGKILL');
    };
    signal?.addEventListener('abort', abort, { once: true });
    const settle = () => signal?.removeEventListener('abort', abort);
    command.on('start', () => {
      spawned = true;
      if (signal?.aborted) command.kill('SIGKILL');
    });

    command.on('end', () => {
      settle();
      onProgress?.({ percent: 100, fps: lastProgress?.fps ?? 0, speed: lastProgress?.speed ?? 0, etaSeconds: 0 });
      resolve();
    });
    command.on('error', (error: Error & { code?: string }) => {
      settle();
      if (signal?.aborted) return reject(cancelled());
      if (error.code === 'ENOENT' || /ENOENT|Cannot find ffmpeg/.test(error.message)) {
        return reject(
          new EncodingError(
            'encoder-failed',
            `ffmpeg was not found (tried "${ffmpegPath}"); install ffmpeg or set FFMPEG_PATH`,
          ),
        );
      }
      const complaint = lastComplaint(log) ?? error.message.split('\n')[0] ?? 'no explanation given';
      reject(new EncodingError('encoder-failed', `ffmpeg exited: ${complaint}`, [...log]));
    });
    command.run();
  });
