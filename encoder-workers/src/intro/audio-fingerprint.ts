import { execFile } from 'node:child_process';

/*
 * A chromaprint fingerprint of the start of a source's audio, made by ffmpeg's chromaprint muxer:
 * one 32-bit value per frame of about 0.124 s (chromaprint hops 4096 / 3 samples at 11025 Hz).
 */

/** Seconds of audio each fingerprint value stands for. */
export const fingerprintFrameSeconds = 4096 / 3 / 11_025;

export type FingerprintOptions = {
  /** Only this many seconds from the start are read. */
  seconds: number;
  /** Defaults to FFMPEG_PATH, then the ffmpeg on PATH. */
  ffmpegPath?: string;
  signal?: AbortSignal;
};

/** The fingerprint of the first `seconds` of a file's first audio track (empty when it has no sound). */
export const fingerprintStart = (sourcePath: string, options: FingerprintOptions): Promise<Uint32Array> => {
  const ffmpegPath = options.ffmpegPath ?? process.env.FFMPEG_PATH ?? 'ffmpeg';
  // Reading stops at `-t` on the input side, and chromaprint works at 11025 Hz mono anyway.
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin'],
    ...['-t', String(options.seconds), '-i', sourcePath],
    ...['-map', '0:a:0?', '-vn', '-sn', '-dn', '-ac', '1', '-ar', '11025'],
    ...['-f', 'chromaprint', '-fp_format', 'raw', '-'],
  ];
  return new Promise((resolve, reject) => {
    execFile(
      ffmpegPath,
      args,
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, ...(options.signal && { signal: options.signal }) },
      (error, stdout, stderr) => {
        // A source without sound has no fingerprint (and so no intro), which is not an error.
        if (error && /does not contain any stream/.test(stderr.toString())) {
          resolve(new Uint32Array(0));
          return;
        }
        if (error) {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          reject(
            new Error(
              missing
                ? `ffmpeg was not found (tried "${ffmpegPath}"); install ffmpeg or set FFMPEG_PATH`
                : `fingerprinting ${sourcePath} failed: ${stderr.toString().trim() || error.message}`,
            ),
          );
          return;
        }
        // Raw fingerprints are little-endian 32-bit values; copy into an aligned buffer.
        const values = new Uint32Array(Math.floor(stdout.length / 4));
        for (let i = 0; i < values.length; i++) values[i] = stdout.readUInt32LE(i * 4);
        resolve(values);
      },
    );
  });
};
