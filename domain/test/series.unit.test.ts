import { describe, expect, it } from 'vitest';
import {
  EpisodeAlreadyPlaced,
  EpisodePlaceTaken,
  episodeAfter,
  foldEvents,
  InvalidTitleMetadata,
  NothingToUpdate,
  SeriesAlreadyExists,
  SeriesAlreadyPublished,
  type SeriesEvent,
  SeriesNotFound,
  SeriesNotPublished,
  seriesDecider,
} from '../src';
import { deciderSpec } from './decider-spec';

const { given } = deciderSpec(seriesDecider);
const at = '2026-11-24T10:00:00.000Z';
const seriesId = 's1';
const metadata = {
  name: 'Deep Field',
  synopsis: 'Astronomers at the edge.',
  genres: ['drama'],
  year: 2025,
  maturityRating: '13+' as const,
};
const created: SeriesEvent = { type: 'SeriesCreated', data: { seriesId, ...metadata, at } };
const added = (titleId: string, season: number, episode: number): SeriesEvent => ({
  type: 'EpisodeAdded',
  data: { seriesId, titleId, season, episode, at },
});
const published: SeriesEvent = { type: 'SeriesPublished', data: { seriesId, at } };
const unpublished: SeriesEvent = { type: 'SeriesUnpublished', data: { seriesId, at } };

describe('create', () => {
  it('creates a series', () =>
    given([])
      .when({ type: 'CreateSeries', seriesId, ...metadata, at })
      .then([created]));
  it('refuses a series that already exists', () =>
    given([created])
      .when({ type: 'CreateSeries', seriesId, ...metadata, at })
      .thenThrows(SeriesAlreadyExists));
  it('refuses metadata that cannot be right, saying which field', () =>
    given([])
      .when({ type: 'CreateSeries', seriesId, ...metadata, year: 1500, at })
      .thenThrows(InvalidTitleMetadata, /year/));
});

describe('update metadata', () => {
  it('records only the fields that changed', () =>
    given([created])
      .when({ type: 'UpdateSeriesMetadata', changes: { name: 'Deep Field', maturityRating: '16+' }, at })
      .then([{ type: 'SeriesMetadataUpdated', data: { seriesId, maturityRating: '16+', at } }]));
  it('accepts an update that changes nothing as already done', () =>
    given([created])
      .when({ type: 'UpdateSeriesMetadata', changes: { year: 2025 }, at })
      .thenNothing());
  it('refuses an empty update', () =>
    given([created]).when({ type: 'UpdateSeriesMetadata', changes: {}, at }).thenThrows(NothingToUpdate));
  it('refuses a series that does not exist', () =>
    given([])
      .when({ type: 'UpdateSeriesMetadata', changes: { year: 2020 }, at })
      .thenThrows(SeriesNotFound));
});

describe('add episode', () => {
  const add = (titleId: string, season: number, episode: number) =>
    ({ type: 'AddEpisode', titleId, season, episode, at }) as const;
  it('reserves a season’s episode number for a title', () =>
    given([created])
      .when(add('t1', 1, 1))
      .then([added('t1', 1, 1)]));
  it('adds nothing when the same request is retried', () =>
    given([created, added('t1', 1, 1)])
      .when(add('t1', 1, 1))
      .thenNothing());
  it('refuses a place another title holds, naming it', () =>
    given([created, added('t1', 1, 1)])
      .when(add('t2', 1, 1))
      .thenThrows(EpisodePlaceTaken, /Season 1 already has an episode 1 \(title t1\)/));
  it('refuses a title already placed elsewhere in the series', () =>
    given([created, added('t1', 1, 1)])
      .when(add('t1', 1, 2))
      .thenThrows(EpisodeAlreadyPlaced, /season 1, episode 1/));
  it('refuses a series that does not exist', () =>
    given([])
      .when(add('t1', 1, 1))
      .thenThrows(SeriesNotFound));
  it('keeps episodes in season then episode order, whatever order they were added in', () => {
    const state = foldEvents(seriesDecider, [created, added('t3', 2, 1), added('t2', 1, 2), added('t1', 1, 1)]);
    expect(episodeAfter(state, 't1')).toEqual({ titleId: 't2', season: 1, episode: 2 });
    expect(episodeAfter(state, 't2')).toEqual({ titleId: 't3', season: 2, episode: 1 });
    expect(episodeAfter(state, 't3')).toBeNull();
    expect(episodeAfter(state, 'not-an-episode')).toBeNull();
  });
});

describe('publish and unpublish', () => {
  it('publishes a series', () => given([created]).when({ type: 'PublishSeries', at }).then([published]));
  it('refuses to publish it twice', () =>
    given([created, published]).when({ type: 'PublishSeries', at }).thenThrows(SeriesAlreadyPublished));
  it('unpublishes a published series', () =>
    given([created, published]).when({ type: 'UnpublishSeries', at }).then([unpublished]));
  it('refuses to unpublish a series that is not published', () =>
    given([created]).when({ type: 'UnpublishSeries', at }).thenThrows(SeriesNotPublished));
  it('publishes again after unpublishing', () =>
    given([created, published, unpublished]).when({ type: 'PublishSeries', at }).then([published]));
  it('refuses a series that does not exist', () =>
    given([]).when({ type: 'PublishSeries', at }).thenThrows(SeriesNotFound));
});
