import { definedChanges, titleMetadata } from '@marquee/domain';
import { z } from 'zod';
import { defineProjection } from '../projection';

/** A series as the content team sees it: its metadata, whether it is published, and its episodes' places. */
export const seriesDetailDocument = titleMetadata.extend({
  seriesId: z.string(),
  published: z.boolean(),
  publishedAt: z.string().nullable().describe('ISO time of the latest publish; null when never published.'),
  episodes: z
    .array(z.object({ titleId: z.string(), season: z.number(), episode: z.number() }))
    .describe('In season, then episode order, published or not.'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SeriesDetail = z.infer<typeof seriesDetailDocument>;

export const seriesDetail = defineProjection<
  SeriesDetail,
  'SeriesCreated' | 'SeriesMetadataUpdated' | 'EpisodeAdded' | 'SeriesPublished' | 'SeriesUnpublished'
>({
  name: 'series-detail',
  version: 1,
  eventTypes: ['SeriesCreated', 'SeriesMetadataUpdated', 'EpisodeAdded', 'SeriesPublished', 'SeriesUnpublished'],
  collection: { indexes: { published: 'value' }, sortFields: ['updatedAt', 'name'], textField: 'name' },
  key: (event) => event.data.seriesId,
  evolve: (detail, event) => {
    const { at } = event.data;
    if (event.type === 'SeriesCreated') {
      const { seriesId, at: _, ...metadata } = event.data;
      const { name, synopsis, genres, year, maturityRating } = metadata;
      return {
        seriesId,
        name,
        synopsis,
        genres,
        year,
        maturityRating,
        published: false,
        publishedAt: null,
        episodes: [],
        createdAt: at,
        updatedAt: at,
      };
    }
    if (!detail) return null;
    switch (event.type) {
      case 'SeriesMetadataUpdated': {
        const { seriesId: _, at: __, ...changes } = event.data;
        return { ...detail, ...definedChanges(changes), updatedAt: at };
      }
      case 'EpisodeAdded': {
        const { titleId, season, episode } = event.data;
        const episodes = [...detail.episodes.filter((slot) => slot.titleId !== titleId), { titleId, season, episode }];
        return {
          ...detail,
          episodes: episodes.toSorted((a, b) => a.season - b.season || a.episode - b.episode),
          updatedAt: at,
        };
      }
      case 'SeriesPublished':
        return { ...detail, published: true, publishedAt: at, updatedAt: at };
      case 'SeriesUnpublished':
        return { ...detail, published: false, updatedAt: at };
    }
  },
});
