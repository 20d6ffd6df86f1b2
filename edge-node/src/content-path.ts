import { id } from '@marquee/domain';
import { contentPathRoot } from '@marquee/platform';

/*
 * A request path is checked before anything touches the disk or the token: it must be
 * /c/<token>/<titleId>/<encodingId>/<file…> where the ids are ids and every segment, once
 * percent-decoded, is a plain name. `..`, `%2e%2e`, encoded slashes, empty segments (an
 * absolute path after the prefix), backslashes, NUL and dot-files all fail here and get a 404.
 * The token is only cut out here; whether it opens anything is the content server's question.
 * Symlinks are the disk's business: the server resolves the real path before opening a file.
 */

export type ContentPath = {
  token: string;
  titleId: string;
  encodingId: string;
  file: string;
  /** `<titleId>/<encodingId>/<file>`: the file within the content folder, the same whatever the token. */
  key: string;
};

const plainSegment = (segment: string) =>
  segment.length > 0 &&
  segment.length <= 2048 &&
  !segment.startsWith('.') &&
  !/[/\\\0]/.test(segment) &&
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  !/[\u0000-\u001f]/.test(segment);

const decode = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

export const parseContentPath = (pathname: string): ContentPath | undefined => {
  if (!pathname.startsWith(contentPathRoot)) return undefined;
  const raw = pathname.slice(contentPathRoot.length).split('/');
  if (raw.length < 4) return undefined;
  const segments = raw.map(decode);
  if (!segments.every((segment): segment is string => segment !== undefined && plainSegment(segment))) return undefined;
  const [token, titleId, encodingId, ...file] = segments as [string, string, string, ...string[]];
  if (!id.safeParse(titleId).success || !id.safeParse(encodingId).success) return undefined;
  // A file name is a name on disk: 255 bytes at most on every filesystem the project runs on.
  if (file.some((segment) => segment.length > 255)) return undefined;
  const path = file.join('/');
  return { token, titleId, encodingId, file: path, key: `${titleId}/${encodingId}/${path}` };
};

const contentTypes: Record<string, string> = {
  mpd: 'application/dash+xml',
  m3u8: 'application/vnd.apple.mpegurl',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  m4a: 'audio/mp4',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  json: 'application/json; charset=utf-8',
  // Captions: WebVTT is UTF-8 by definition; said so for players that look at the header.
  vtt: 'text/vtt; charset=utf-8',
};

export const contentTypeOf = (file: string) =>
  contentTypes[file.slice(file.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';
