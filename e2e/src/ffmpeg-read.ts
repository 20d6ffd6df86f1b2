/*
 * ffmpeg as a standard client: `ffmpeg -i <url> -map 0 -f null -` reads a DASH manifest or an
 * HLS master with nothing but the URL, decodes every stream, and (at -v verbose) says how many
 * frames it decoded per input stream. What it read is told from that report.
 */
import { execFile } from 'node:child_process';

export type DecodedVideoStream = { index: number; width: number; height: number; framesDecoded: number };

export type FfmpegRead = {
  exitCode: number;
  /** One entry per input video stream (an HLS master lists a rung once per pathway). */
  video: DecodedVideoStream[];
  audioFramesDecoded: number;
  /** What went wrong on the way without stopping it (`HTTP error 403 Forbidden`, `Failed to open segment …`). */
  problems: string[];
  /** The end of what ffmpeg printed, for failure messages. */
  tail: string;
};

/*
 * The input section lists `Stream #0:<n>…: Video: h264 …, <w>x<h> …` (an HLS master repeats a
 * stream under each program), and the end of a verbose run says
 * `Input stream #0:<n> (video): … packets read (…); <frames> frames decoded;`.
 */
export const ffmpegReadReport = (stderr: string): Omit<FfmpegRead, 'exitCode' | 'tail'> => {
  const lines = stderr.split(/\r?\n|\r/);
  const inputEnd = lines.findIndex((line) => /^Stream mapping:|^Output #0/.test(line));
  const sizes = new Map<number, { width: number; height: number }>();
  for (const line of lines.slice(0, inputEnd === -1 ? lines.length : inputEnd)) {
    const stream = /^\s+Stream #0:(\d+)[^:]*: Video: .*?, (\d{2,5})x(\d{2,5})[ ,]/.exec(line);
    if (stream) sizes.set(Number(stream[1]), { width: Number(stream[2]), height: Number(stream[3]) });
  }
  const video: DecodedVideoStream[] = [];
  let audioFramesDecoded = 0;
  // A segment that fails does not stop the demuxers: they skip it and go on to exit 0.
  const problems = lines.filter((line) =>
    /HTTP error \d+|Failed to open|Error when loading|Invalid data found/i.test(line),
  );
  for (const line of lines) {
    const decoded = /Input stream #0:(\d+) \((video|audio)\):.*?(\d+) frames decoded/.exec(line);
    if (!decoded) continue;
    const index = Number(decoded[1]);
    const frames = Number(decoded[3]);
    if (decoded[2] === 'audio') audioFramesDecoded += frames;
    else video.push({ index, width: 0, height: 0, ...sizes.get(index), framesDecoded: frames });
  }
  return { video, audioFramesDecoded, problems };
};

/** Reads and decodes everything `url` leads to; resolves whatever ffmpeg's exit code. */
export const readWithFfmpeg = (url: string, options: { timeoutMs?: number } = {}): Promise<FfmpegRead> =>
  new Promise((resolve, reject) => {
    execFile(
      'ffmpeg',
      ['-hide_banner', '-nostdin', '-v', 'verbose', '-i', url, '-map', '0', '-f', 'null', '-'],
      { timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (error && error.code === 'ENOENT') return reject(new Error('ffmpeg is not installed'));
        // Verbose output names the URLs it opens: keep only the last lines, and those only for failures.
        const tail = stderr.split('\n').slice(-25).join('\n');
        resolve({ exitCode, tail, ...ffmpegReadReport(stderr) });
      },
    );
  });

/** Frames decoded per video height, summed over the streams of that height. */
export const framesByHeight = (read: FfmpegRead): Map<number, number> => {
  const byHeight = new Map<number, number>();
  for (const stream of read.video)
    byHeight.set(stream.height, (byHeight.get(stream.height) ?? 0) + stream.framesDecoded);
  return byHeight;
};

export type ProbedStreams = { video: number; audioLanguages: string[]; subtitleLanguages: string[] };

/** What ffprobe finds behind a manifest or master URL: its video streams, and its audio and subtitle streams' languages. */
export const probeStreams = (url: string, options: { timeoutMs?: number } = {}): Promise<ProbedStreams> =>
  new Promise((resolve, reject) => {
    execFile(
      'ffprobe',
      // ffmpeg 5.1's HLS reader keeps subtitle renditions only with -strict experimental (its support is unfinished).
      ['-v', 'error', '-strict', 'experimental', '-show_streams', '-of', 'json', url],
      { timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`ffprobe ${url} failed: ${stderr.split('\n').slice(-5).join('\n')}`));
        const { streams } = JSON.parse(stdout) as {
          streams: { codec_type: string; tags?: { language?: string } }[];
        };
        const languages = (type: string) => [
          ...new Set(streams.filter((s) => s.codec_type === type).map((s) => s.tags?.language ?? 'und')),
        ];
        resolve({
          video: streams.filter((s) => s.codec_type === 'video').length,
          audioLanguages: languages('audio'),
          subtitleLanguages: languages('subtitle'),
        });
      },
    );
  });
