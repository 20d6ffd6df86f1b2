import { titleMetadata } from '@marquee/domain';
import { z } from 'zod';
import { dayOf, defineProjection, lastDays, sum } from '../projection';
import { posterPathOf } from './title-fields';

/** A title as viewers browse it. Unpublished titles stay (to come back on republish) but are hidden. */
export const catalogEntry = titleMetadata.extend({
  titleId: z.string(),
  published: z.boolean(),
  publishedAt: z.string().describe("ISO time of the latest publish, '' when never published (sorts last)."),
  encodingId: z.string().nullable(),
  manifestPath: z.string().nullable(),
  posterPath: z
    .string()
    .nullable()
    .describe('Relative to /content on the origin and edges: `<titleId>/<encodingId>/poster.jpg`.'),
  durationSeconds: z.number().nullable(),
  popularity: z.number().describe("Plays in the 7 days up to the title's latest play."),
  playsByDay: z.record(z.string(), z.number()),
  encodings: z.record(z.string(), z.object({ durationSeconds: z.number(), manifestPath: z.string() })),
});
export type CatalogEntry = z.infer<typeof catalogEntry>;

export const popularityDays = 7;

export const catalog = defineProjection<
  CatalogEntry,
  | 'TitleCreated'
  | 'TitleMetadataUpdated'
  | 'EncodingSucceeded'
  | 'TitlePublished'
  | 'TitleUnpublished'
  | 'PlaybackStarted'
>({
  name: 'catalog',
  version: 1,
  eventTypes: [
    'TitleCreated',
    'TitleMetadataUpdated',
    'EncodingSucceeded',
    'TitlePublished',
    'TitleUnpublished',
    'PlaybackStarted',
  ],
  collection: {
    indexes: { published: 'value', genres: 'array', year: 'value', maturityRating: 'value' },
    sortFields: ['popularity', 'publishedAt', 'name'],
    textField: 'name',
  },
  key: (event) => event.data.titleId,
  evolve: (entry, event) => {
    if (event.type === 'TitleCreated') {
      const { titleId, name, synopsis, genres, year, maturityRating } = event.data;
      return {
        titleId,
        name,
        synopsis,
        genres,
        year,
        maturityRating,
        published: false,
        publishedAt: '',
        encodingId: null,
        manifestPath: null,
        posterPath: null,
        durationSeconds: null,
        popularity: 0,
        playsByDay: {},
        encodings: {},
      };
    }
    if (!entry) return null;
    switch (event.type) {
      case 'TitleMetadataUpdated': {
        const { titleId: _, at: __, ...changes } = event.data;
        return { ...entry, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
      }
      case 'EncodingSucceeded': {
        const { encodingId, durationSeconds, manifestPath } = event.data;
        return { ...entry, encodings: { ...entry.encodings, [encodingId]: { durationSeconds, manifestPath } } };
      }
      case 'TitlePublished': {
        const { encodingId, manifestPath, at } = event.data;
        return {
          ...entry,
          published: true,
          publishedAt: at,
          encodingId,
          manifestPath,
          posterPath: posterPathOf(manifestPath),
          durationSeconds: entry.encodings[encodingId]?.durationSeconds ?? null,
        };
      }
      case 'TitleUnpublished':
        return { ...entry, published: false };
      case 'PlaybackStarted': {
        const today = dayOf(event.data.at);
        const playsByDay = lastDays(
          { ...entry.playsByDay, [today]: (entry.playsByDay[today] ?? 0) + 1 },
          today,
          popularityDays,
        );
        return { ...entry, playsByDay, popularity: sum(Object.values(playsByDay)) };
      }
    }
  },
});
