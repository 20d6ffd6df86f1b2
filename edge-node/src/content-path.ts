import { id } from '@marquee/domain';

/*
 * A request path is checked before anything touches the disk: it must be
 * /content/<titleId>/<encodingId>/<file…> where the ids are ids and every file segment, once
 * percent-decoded, is a plain name. `..`, `%2e%2e`, encoded slashes, empty segments (an
 * absolute path after the prefix), backslashes, NUL and dot-files all fail here and get a 404.
 * Symlinks are the disk's business: the server resolves the real path before opening a file.
 */

export type ContentPath = { titleId: string; encodingId: string; file: string; pathname: string };

const plainSegment = (segment: string) =>
  segment.length > 0 &&
  segment.length <= 255 &&
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
  if (!pathname.startsWith('/content/')) return undefined;
  const raw = pathname.slice('/content/'.length).split('/');
  if (raw.length < 3) return undefined;
  const segments = raw.map(decode);
  if (!segments.every((segment): segment is string => segment !== undefined && plainSegment(segment))) return undefined;
  const [titleId, encodingId, ...file] = segments as [string, string, ...string[]];
  if (!id.safeParse(titleId).success || !id.safeParse(encodingId).success) return undefined;
  return { titleId, encodingId, file: file.join('/'), pathname: `/content/${titleId}/${encodingId}/${file.join('/')}` };
};

const contentTypes: Record<string, string> = {
  mpd: 'application/dash+xml',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  m4a: 'audio/mp4',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  json: 'application/json; charset=utf-8',
};

export const contentTypeOf = (file: string) =>
  contentTypes[file.slice(file.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';
