import { definedChanges, levelsAllowing, maturityRating, titleMetadata } from '@marquee/domain';
import { z } from 'zod';
import { dayOf, defineProjection, lastDays, sum } from '../projection';
import { episodePlaceOrNull, markerSpan, playableTracks, playableTracksOf, posterPathOf } from './title-fields';

export const catalogKinds = ['film', 'series', 'episode'] as const;

const episodeSlot = z.object({ titleId: z.string(), season: z.number(), episode: z.number() });

/**
 * What viewers can be shown: films, series and episodes, one document each. Unpublished ones
 * stay (to come back on republish) but are hidden; an episode is shown only while its series
 * is published too, which the reader checks, as it checks the series' rating (the floor of its
 * episodes'), both current at read time.
 */
export const catalogEntry = titleMetadata.extend({
  titleId: z.string().describe("The title's id; for a series, the series id."),
  kind: z.enum(catalogKinds),
  published: z.boolean(),
  listed: z.boolean().describe('Browse shows it: a published film or a published series, never an episode.'),
  viewableBy: z
    .array(maturityRating)
    .describe('The maturity levels its own rating allows, so browse can filter by a profile level by equality.'),
  publishedAt: z.string().describe("ISO time of the latest publish, '' when never published (sorts last)."),
  episodeOf: episodePlaceOrNull,
  episodes: z.array(episodeSlot).describe("A series' episodes in season, then episode order; [] for a title."),
  encodingId: z.string().nullable(),
  manifestPath: z.string().nullable(),
  posterPath: z
    .string()
    .nullable()
    .describe('Relative to /content on the origin and edges: `<titleId>/<encodingId>/poster.jpg`.'),
  durationSeconds: z.number().nullable(),
  intro: markerSpan.nullable(),
  credits: markerSpan.nullable(),
  popularity: z.number().describe('Plays in the 7 days up to the latest play (of any episode, for a series).'),
  playsByDay: z.record(z.string(), z.number()),
  ...playableTracks.shape,
  encodings: z.record(
    z.string(),
    z.object({ durationSeconds: z.number(), manifestPath: z.string(), ...playableTracks.shape }),
  ),
});
export type CatalogEntry = z.infer<typeof catalogEntry>;

export const popularityDays = 7;

const noTracks = playableTracksOf(undefined);

const rated = (entry: CatalogEntry): CatalogEntry => ({
  ...entry,
  viewableBy: levelsAllowing(entry.maturityRating),
});

/** A new entry's fields besides its metadata: nothing published, played or marked yet. */
const unpublished = (): Omit<
  CatalogEntry,
  keyof z.infer<typeof titleMetadata> | 'titleId' | 'kind' | 'viewableBy' | 'episodeOf'
> => ({
  published: false,
  listed: false,
  publishedAt: '',
  episodes: [],
  encodingId: null,
  manifestPath: null,
  posterPath: null,
  durationSeconds: null,
  intro: null,
  credits: null,
  ...noTracks,
  popularity: 0,
  playsByDay: {},
  encodings: {},
});

export const catalog = defineProjection<
  CatalogEntry,
  | 'TitleCreated'
  | 'TitleMetadataUpdated'
  | 'EncodingSucceeded'
  | 'TitlePublished'
  | 'TitleUnpublished'
  | 'TitleMarkersSet'
  | 'SeriesCreated'
  | 'SeriesMetadataUpdated'
  | 'EpisodeAdded'
  | 'SeriesPublished'
  | 'SeriesUnpublished'
  | 'PlaybackStarted'
>({
  name: 'catalog',
  version: 3,
  eventTypes: [
    'TitleCreated',
    'TitleMetadataUpdated',
    'EncodingSucceeded',
    'TitlePublished',
    'TitleUnpublished',
    'TitleMarkersSet',
    'SeriesCreated',
    'SeriesMetadataUpdated',
    'EpisodeAdded',
    'SeriesPublished',
    'SeriesUnpublished',
    'PlaybackStarted',
  ],
  collection: {
    indexes: {
      published: 'value',
      listed: 'value',
      kind: 'value',
      viewableBy: 'array',
      genres: 'array',
      year: 'value',
      maturityRating: 'value',
    },
    sortFields: ['popularity', 'publishedAt', 'name'],
    textField: 'name',
  },
  key: (event) => {
    switch (event.type) {
      case 'SeriesCreated':
      case 'SeriesMetadataUpdated':
      case 'EpisodeAdded':
      case 'SeriesPublished':
      case 'SeriesUnpublished':
        return event.data.seriesId;
      case 'PlaybackStarted':
        // An episode's play counts for the episode and for its series.
        return event.data.seriesId ? [event.data.titleId, event.data.seriesId] : event.data.titleId;
      default:
        return event.data.titleId;
    }
  },
  evolve: (entry, event) => {
    if (event.type === 'TitleCreated') {
      const { titleId, episodeOf, at: _, ...metadata } = event.data;
      const { name, synopsis, genres, year, maturityRating } = metadata;
      return rated({
        titleId,
        kind: episodeOf ? 'episode' : 'film',
        name,
        synopsis,
        genres,
        year,
        maturityRating,
        viewableBy: [],
        episodeOf: episodeOf ?? null,
        ...unpublished(),
      });
    }
    if (event.type === 'SeriesCreated') {
      const { seriesId, name, synopsis, genres, year, maturityRating } = event.data;
      return rated({
        titleId: seriesId,
        kind: 'series',
        name,
        synopsis,
        genres,
        year,
        maturityRating,
        viewableBy: [],
        episodeOf: null,
        ...unpublished(),
      });
    }
    if (!entry) return null;
    switch (event.type) {
      case 'TitleMetadataUpdated': {
        const { titleId: _, at: __, ...changes } = event.data;
        return rated({ ...entry, ...definedChanges(changes) });
      }
      case 'SeriesMetadataUpdated': {
        const { seriesId: _, at: __, ...changes } = event.data;
        return rated({ ...entry, ...definedChanges(changes) });
      }
      case 'EncodingSucceeded': {
        const { encodingId, durationSeconds, manifestPath, tracks } = event.data;
        const encoding = { durationSeconds, manifestPath, ...playableTracksOf(tracks) };
        return { ...entry, encodings: { ...entry.encodings, [encodingId]: encoding } };
      }
      case 'TitlePublished': {
        // A revision of the published encoding is published as it succeeds: its tracks replace the old ones here.
        const { encodingId, manifestPath, at } = event.data;
        const encoding = entry.encodings[encodingId];
        return {
          ...entry,
          published: true,
          listed: entry.kind === 'film',
          publishedAt: at,
          encodingId,
          manifestPath,
          posterPath: posterPathOf(manifestPath),
          durationSeconds: encoding?.durationSeconds ?? null,
          audioLanguages: encoding?.audioLanguages ?? [],
          captionLanguages: encoding?.captionLanguages ?? [],
          seekPreviews: encoding?.seekPreviews ?? false,
        };
      }
      case 'TitleUnpublished':
      case 'SeriesUnpublished':
        return { ...entry, published: false, listed: false };
      case 'SeriesPublished':
        return { ...entry, published: true, listed: true, publishedAt: event.data.at };
      case 'EpisodeAdded': {
        const { titleId, season, episode } = event.data;
        const episodes = [...entry.episodes.filter((slot) => slot.titleId !== titleId), { titleId, season, episode }];
        return { ...entry, episodes: episodes.toSorted((a, b) => a.season - b.season || a.episode - b.episode) };
      }
      case 'TitleMarkersSet':
        return { ...entry, intro: event.data.intro, credits: event.data.credits };
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
