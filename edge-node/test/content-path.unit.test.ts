import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentTypeOf, parseContentPath } from '../src/content-path';

describe('content paths', () => {
  it('cut /c/<token>/<title>/<encoding>/<file> into its parts, the file key free of the token', () => {
    expect(parseContentPath('/c/abc.def/t1/e1/segment-v720-00001.m4s')).toEqual({
      token: 'abc.def',
      titleId: 't1',
      encodingId: 'e1',
      file: 'segment-v720-00001.m4s',
      key: 't1/e1/segment-v720-00001.m4s',
    });
    expect(parseContentPath('/c/tok/t1/e1/a%20b.m4s')?.file).toBe('a b.m4s');
    expect(parseContentPath('/c/tok/t1/e1/sub/x.m4s')?.key).toBe('t1/e1/sub/x.m4s');
  });
  it('refuse the old query form, a missing part, and tricks in the token segment too', () => {
    for (const path of [
      '/content/t1/e1/manifest.mpd',
      '/c/tok/t1/e1',
      '/c/tok/t1/e1/',
      '/c//t1/e1/manifest.mpd',
      '/c/../t1/e1/manifest.mpd',
      '/c/%2e%2e/t1/e1/manifest.mpd',
      '/c/a%2fb/t1/e1/manifest.mpd',
      '/c/tok/%2e%2e/e1/manifest.mpd',
      '/c/tok/t1/e1/..%2f..%2fpasswd',
      '/c/tok/t1/e1/.hidden',
      '/c/tok/t1/e1/x%00.m4s',
      '/c/tok/t1/e1/x%5c.m4s',
      '/c/tok/t1/e1/%zz',
    ])
      expect(parseContentPath(path), path).toBeUndefined();
  });
  it('never let any request path name a file outside its package', () => {
    const pieces = fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E.',
      '%2f',
      '%5c',
      '/',
      '\\',
      '%00',
      'seg.m4s',
      'v',
      '',
      '%zz',
      '.x',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 8 }), (parts) => {
        const parsed = parseContentPath(`/c/tok/t1/e1/${parts.join('/')}`);
        if (!parsed) return;
        const segments = parsed.file.split('/');
        expect(segments.every((segment) => segment !== '' && !segment.startsWith('.') && !segment.includes('\\'))).toBe(
          true,
        );
        expect(parsed.key.startsWith('t1/e1/')).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
  it('type HLS playlists for players', () => {
    expect(contentTypeOf('master.m3u8')).toBe('application/vnd.apple.mpegurl');
    expect(contentTypeOf('manifest.mpd')).toBe('application/dash+xml');
  });
});
