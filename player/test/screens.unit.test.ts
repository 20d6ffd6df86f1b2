/** The small pure pieces behind the screens: routes, rows, the studio's wording and number formats. */
import { describe, expect, it } from 'vitest';
import type { CatalogTitle, EncodingJob } from '../src/app/api/types';
import { genreLabel, genreRows, posterUrl } from '../src/app/browse/catalog-rows';
import { byteSize, clockTime, episodeCode, percent, runtime } from '../src/app/display-format';
import { matchRoute } from '../src/app/routing/routes';
import { describeEncodingJob, isSettling, markerFields, parseGenres, parseMarker } from '../src/app/studio/studio-text';

const title = (titleId: string, genres: string[]): CatalogTitle => ({
  titleId,
  kind: 'film',
  name: titleId,
  synopsis: '',
  genres,
  year: 2026,
  maturityRating: 'all',
  durationSeconds: 60,
  posterPath: null,
  popularity: 0,
  publishedAt: '2026-01-01T00:00:00.000Z',
});

describe('routes', () => {
  it('match with their parameters, decoded', () => {
    expect(matchRoute('/title/:titleId', '/title/a%20b')).toEqual({ titleId: 'a b' });
    expect(matchRoute('/', '/')).toEqual({});
    expect(matchRoute('/title/:titleId', '/watch/a')).toBeNull();
    expect(matchRoute('/title/:titleId', '/title/a/b')).toBeNull();
    expect(matchRoute('/title/:titleId', '/title/%E0%A4%A')).toBeNull();
  });
});

describe('browse rows', () => {
  it('one per genre, fullest first, a title in each of its genres', () => {
    const rows = genreRows([title('a', ['Drama', 'comedy']), title('b', ['drama']), title('c', ['action'])]);
    expect(rows.map((row) => [row.genre, row.titles.map((t) => t.titleId)])).toEqual([
      ['drama', ['a', 'b']],
      ['action', ['c']],
      ['comedy', ['a']],
    ]);
    expect(genreLabel('science fiction')).toBe('Science fiction');
  });

  it('posters come through the player’s server', () => {
    expect(posterUrl('t1/e1/poster.jpg')).toBe('/posters/t1/e1/poster.jpg');
    expect(posterUrl(null)).toBeNull();
  });
});

describe('the content team’s screens', () => {
  const job = (change: Partial<EncodingJob>): EncodingJob => ({
    encodingId: 'e1',
    uploadId: 'u1',
    kind: 'encode',
    revisionOf: null,
    state: 'waiting',
    queuePosition: null,
    progress: null,
    attempts: 0,
    failedReason: null,
    queuedAt: '2026-01-01T00:00:00Z',
    ...change,
  });

  it('genres are typed comma-separated', () => {
    expect(parseGenres(' Drama, science fiction ,, drama')).toEqual(['drama', 'science fiction']);
  });

  it('an encoding job reads as a sentence', () => {
    expect(describeEncodingJob(job({ queuePosition: 1 }))).toBe('Next in the queue');
    expect(describeEncodingJob(job({ queuePosition: 3 }))).toBe('Waiting: 3rd in the queue');
    expect(describeEncodingJob(job({ queuePosition: 12 }))).toBe('Waiting: 12th in the queue');
    expect(
      describeEncodingJob(job({ state: 'active', progress: { percent: 42.7, fps: 90, speed: 1.94, etaSeconds: 31 } })),
    ).toBe('Encoding: 42% · 1.9× real time · about 31 s left');
    expect(describeEncodingJob(job({ state: 'failed', failedReason: 'no video stream' }))).toBe(
      'Failed: no video stream',
    );
    expect(isSettling('encoding')).toBe(true);
    expect(isSettling('published')).toBe(false);
  });
});

describe('numbers on screen', () => {
  it('read as people write them', () => {
    expect([clockTime(65), clockTime(3725), clockTime(-3)]).toEqual(['1:05', '1:02:05', '0:00']);
    expect([runtime(5400), runtime(600), runtime(null)]).toEqual(['1 h 30 min', '10 min', '']);
    expect([byteSize(512), byteSize(1536), byteSize(5 * 1024 ** 3)]).toEqual(['512 bytes', '1.5 KiB', '5.0 GiB']);
    expect(percent(0.0123)).toBe('1.2%');
  });
});

describe('series on screen', () => {
  it('an episode reads as S<season>:E<episode>', () => {
    expect(episodeCode(1, 2)).toBe('S1:E2');
    expect(episodeCode(10, 12)).toBe('S10:E12');
  });

  it('the markers form: both fields empty is no marker, both set is a range, anything else names the problem', () => {
    expect(parseMarker('intro', '', ' ')).toEqual({ range: null });
    expect(parseMarker('intro', '5', '35.5')).toEqual({ range: { startSeconds: 5, endSeconds: 35.5 } });
    expect(parseMarker('intro', '5', '')).toEqual({ error: 'Give both the start and the end of the intro.' });
    expect(parseMarker('credits', '40', '30')).toEqual({ error: 'The credits must end after they start.' });
    expect(parseMarker('credits', 'abc', '30')).toMatchObject({ error: expect.stringContaining('seconds') });
    expect(parseMarker('intro', '-1', '30')).toMatchObject({ error: expect.stringContaining('0 or more') });
    expect(markerFields({ startSeconds: 5, endSeconds: 35 })).toEqual({ start: '5', end: '35' });
    expect(markerFields(null)).toEqual({ start: '', end: '' });
  });
});
