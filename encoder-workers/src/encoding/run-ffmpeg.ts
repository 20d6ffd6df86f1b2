/**
 * Runs one ffmpeg command (as EncodingArguments) through fluent-ffmpeg: progress from its stats
 * line, a cancel kills it, and a failure becomes an EncodingError with what ffmpeg last said.
 */
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EncodingProgress } from '@marquee/platform';
import ffmpeg from 'fluent-ffmpeg';
import type { EncodingArguments } from './encoding-arguments';
import { EncodingError } from './encoding-error';
import { isProgressLine, parseProgressLine } from './encoding-progress';

const progressIntervalMs = 250;

export const cancelled = () => new EncodingError('cancelled', 'the encoding was cancelled');

export const throwIfAborted = (signal: AbortSignal | undefined) => {
  if (signal?.aborted) throw cancelled();
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

export const runFfmpeg = ({
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
    const command = ffmpeg();
    // Options go in as separate arguments: given one array, fluent-ffmpeg splits any option
    // containing a space, which would break "-adaptation_sets 'id=0,… id=1,…'".
    encoding.inputs.forEach((input, index) => {
      // fluent-ffmpeg puts an input's options just before its -i.
      const options = [...(index === 0 ? encoding.inputOptions : []), ...input.options];
      command.input(input.path);
      if (options.length > 0) command.inputOptions(...options);
    });
    if (encoding.complexFilter !== '') command.complexFilter(encoding.complexFilter);
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
