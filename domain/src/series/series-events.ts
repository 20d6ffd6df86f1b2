import { z } from 'zod';
import { type EventOf, eventSchema, id, isoTime } from '../event-schema';
import { titleMetadata } from '../title/title-events';

/**
 * A series: its own metadata (its rating is the floor of every episode's), and the numbered
 * places of its episodes. Each episode is a title of its own (`title-<id>`, its TitleCreated
 * naming its place), uploaded, encoded and published like a film; viewers see it only while
 * both it and its series are published.
 */
export const SeriesCreated = eventSchema('SeriesCreated', titleMetadata.extend({ seriesId: id, at: isoTime }));
export const SeriesMetadataUpdated = eventSchema(
  'SeriesMetadataUpdated',
  titleMetadata.partial().extend({ seriesId: id, at: isoTime }),
);
export const EpisodeAdded = eventSchema(
  'EpisodeAdded',
  z.object({
    seriesId: id,
    titleId: id,
    season: z.number().int().min(1).max(100),
    episode: z.number().int().min(1).max(1000),
    at: isoTime,
  }),
);
export const SeriesPublished = eventSchema('SeriesPublished', z.object({ seriesId: id, at: isoTime }));
export const SeriesUnpublished = eventSchema('SeriesUnpublished', z.object({ seriesId: id, at: isoTime }));

export const seriesEventSchemas = [
  SeriesCreated,
  SeriesMetadataUpdated,
  EpisodeAdded,
  SeriesPublished,
  SeriesUnpublished,
] as const;

export type SeriesEvent = EventOf<(typeof seriesEventSchemas)[number]>;
