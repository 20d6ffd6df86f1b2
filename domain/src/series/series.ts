import type { Decider } from '../decider';
import { changedMetadata, definedChanges, validMetadata } from '../title/title';
import { type TitleMetadata, titleMetadata } from '../title/title-events';
import {
  EpisodeAlreadyPlaced,
  EpisodePlaceTaken,
  SeriesAlreadyExists,
  SeriesAlreadyPublished,
  SeriesNotFound,
  SeriesNotPublished,
} from './series-errors';
import type { SeriesEvent } from './series-events';

export type SeriesCommand =
  | ({ type: 'CreateSeries'; seriesId: string; at: string } & TitleMetadata)
  | { type: 'UpdateSeriesMetadata'; changes: Partial<TitleMetadata>; at: string }
  /** Reserves a season's episode number for a title; the title's own stream is created beside it. */
  | { type: 'AddEpisode'; titleId: string; season: number; episode: number; at: string }
  | { type: 'PublishSeries'; at: string }
  | { type: 'UnpublishSeries'; at: string };

export type EpisodeSlot = { titleId: string; season: number; episode: number };

export type SeriesState =
  | { status: 'none' }
  | {
      status: 'created';
      seriesId: string;
      metadata: TitleMetadata;
      /** In season, then episode order. */
      episodes: EpisodeSlot[];
      published: boolean;
    };

const byPlace = (a: EpisodeSlot, b: EpisodeSlot) => a.season - b.season || a.episode - b.episode;

/** The episode after `titleId` in the series' order (across seasons), or null after the last. */
export const episodeAfter = (state: SeriesState, titleId: string): EpisodeSlot | null => {
  if (state.status !== 'created') return null;
  const index = state.episodes.findIndex((slot) => slot.titleId === titleId);
  return index === -1 ? null : (state.episodes[index + 1] ?? null);
};

const decide = (command: SeriesCommand, state: SeriesState): SeriesEvent[] => {
  if (command.type === 'CreateSeries') {
    if (state.status === 'created') throw new SeriesAlreadyExists(state.seriesId);
    const { type: _, seriesId, at, ...metadata } = command;
    return [{ type: 'SeriesCreated', data: { seriesId, at, ...validMetadata(titleMetadata, metadata) } }];
  }
  if (state.status !== 'created') throw new SeriesNotFound();
  const { seriesId } = state;
  switch (command.type) {
    case 'UpdateSeriesMetadata': {
      const changed = changedMetadata(state.metadata, command.changes);
      if (Object.keys(changed).length === 0) return [];
      return [{ type: 'SeriesMetadataUpdated', data: { seriesId, ...changed, at: command.at } }];
    }
    case 'AddEpisode': {
      const { titleId, season, episode, at } = command;
      const same = state.episodes.find((slot) => slot.titleId === titleId);
      if (same) {
        // A retried request adds nothing; the same title in another place is a mistake.
        if (same.season === season && same.episode === episode) return [];
        throw new EpisodeAlreadyPlaced(titleId, same.season, same.episode);
      }
      const taken = state.episodes.find((slot) => slot.season === season && slot.episode === episode);
      if (taken) throw new EpisodePlaceTaken(season, episode, taken.titleId);
      return [{ type: 'EpisodeAdded', data: { seriesId, titleId, season, episode, at } }];
    }
    case 'PublishSeries':
      if (state.published) throw new SeriesAlreadyPublished(seriesId);
      return [{ type: 'SeriesPublished', data: { seriesId, at: command.at } }];
    case 'UnpublishSeries':
      if (!state.published) throw new SeriesNotPublished(seriesId);
      return [{ type: 'SeriesUnpublished', data: { seriesId, at: command.at } }];
  }
};

const evolve = (state: SeriesState, event: SeriesEvent): SeriesState => {
  if (event.type === 'SeriesCreated') {
    const { seriesId, at: _, ...metadata } = event.data;
    return { status: 'created', seriesId, metadata, episodes: [], published: false };
  }
  if (state.status !== 'created') return state;
  switch (event.type) {
    case 'SeriesMetadataUpdated': {
      const { seriesId: _, at: __, ...changes } = event.data;
      return { ...state, metadata: { ...state.metadata, ...definedChanges(changes) } };
    }
    case 'EpisodeAdded': {
      const { titleId, season, episode } = event.data;
      return { ...state, episodes: [...state.episodes, { titleId, season, episode }].toSorted(byPlace) };
    }
    case 'SeriesPublished':
      return { ...state, published: true };
    case 'SeriesUnpublished':
      return { ...state, published: false };
  }
};

export const seriesDecider: Decider<SeriesCommand, SeriesState, SeriesEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
