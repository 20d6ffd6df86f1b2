/**
 * What a media playlist's segments weigh, as RFC 8216 4.1 measures them for the HLS master's
 * BANDWIDTH and AVERAGE-BANDWIDTH: each segment file's size as written (a stat, its content
 * unread) over its EXTINF duration. The init segment is no media segment and is not counted.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UnexpectedPackage } from './unexpected-package';

/** Bits per second, rounded up. */
export type BitRates = { peak: number; average: number };

type Segment = { uri: string; seconds: number };

const segmentsOf = (file: string, playlist: string) => {
  if (playlist.includes('#EXT-X-BYTERANGE:')) throw new UnexpectedPackage(`${file} cuts its segments by byte range`);
  const targetSeconds = Number(/^#EXT-X-TARGETDURATION:(\d+)/m.exec(playlist)?.[1]);
  if (!(targetSeconds > 0)) throw new UnexpectedPackage(`${file} gives no target duration`);
  const segments: Segment[] = [];
  let seconds: number | undefined;
  for (const line of playlist.split('\n').map((text) => text.trim())) {
    const extinf = /^#EXTINF:([\d.]+)/.exec(line);
    if (extinf) seconds = Number(extinf[1]);
    else if (line !== '' && !line.startsWith('#') && seconds !== undefined) {
      segments.push({ uri: line, seconds });
      seconds = undefined;
    }
  }
  if (segments.length === 0 || segments.some((segment) => !(segment.seconds > 0))) {
    throw new UnexpectedPackage(`${file} has no segments, or one without a duration`);
  }
  return { targetSeconds, segments };
};

/**
 * The peak is the highest bit rate of any run of consecutive segments lasting 0.5 to 1.5 target
 * durations (so a last segment of a few frames, whose header outweighs its media, is measured
 * with the one before it), never below the average: the whole playlist over its duration.
 */
const playlistBitRates = (file: string, playlist: string, bytesOf: (uri: string) => number): BitRates => {
  const { targetSeconds, segments } = segmentsOf(file, playlist);
  const bits = segments.map((segment) => bytesOf(segment.uri) * 8);
  let peak = 0;
  for (let first = 0; first < segments.length; first++) {
    let runBits = 0;
    let runSeconds = 0;
    for (let last = first; last < segments.length; last++) {
      runBits += bits[last] ?? 0;
      runSeconds += segments[last]?.seconds ?? 0;
      if (runSeconds > 1.5 * targetSeconds) break;
      if (runSeconds >= 0.5 * targetSeconds) peak = Math.max(peak, runBits / runSeconds);
    }
  }
  const average =
    bits.reduce((sum, value) => sum + value, 0) / segments.reduce((sum, segment) => sum + segment.seconds, 0);
  return { peak: Math.ceil(Math.max(peak, average)), average: Math.ceil(average) };
};

const sizeOf = async (dir: string, file: string, uri: string) => {
  if (uri.includes('/')) throw new UnexpectedPackage(`${file} names a segment outside its folder: ${uri}`);
  try {
    return (await stat(join(dir, uri))).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new UnexpectedPackage(`${file} names ${uri}, which is not in the package`);
  }
};

/** The bit rates of each media playlist (its text by its file name), its segments being files of `dir`. */
export const measureBitRates = async (
  dir: string,
  playlists: Readonly<Record<string, string>>,
): Promise<Map<string, BitRates>> => {
  const measured = new Map<string, BitRates>();
  for (const [file, playlist] of Object.entries(playlists)) {
    const bytes = new Map<string, number>();
    for (const { uri } of segmentsOf(file, playlist).segments) bytes.set(uri, await sizeOf(dir, file, uri));
    measured.set(
      file,
      playlistBitRates(file, playlist, (uri) => bytes.get(uri) ?? 0),
    );
  }
  return measured;
};

/**
 * RFC 8216 4.3.4.2: a variant's BANDWIDTH and AVERAGE-BANDWIDTH cover every rendition that may
 * play with it, so its video plus the most demanding audio rendition.
 */
export const variantBitRates = (video: BitRates, audio: readonly BitRates[]): BitRates => ({
  peak: video.peak + Math.max(0, ...audio.map((rates) => rates.peak)),
  average: video.average + Math.max(0, ...audio.map((rates) => rates.average)),
});
