import { refusal } from '../errors';

export class SeriesNotFound extends refusal('not_found', (seriesId?: string) => [
  seriesId ? `There is no series ${seriesId}.` : 'There is no such series.',
  { seriesId: seriesId ?? null },
]) {}
export class SeriesAlreadyExists extends refusal('conflict', (seriesId: string) => [
  `Series ${seriesId} already exists; update its metadata instead.`,
  { seriesId },
]) {}
export class EpisodePlaceTaken extends refusal('conflict', (season: number, episode: number, titleId: string) => [
  `Season ${season} already has an episode ${episode} (title ${titleId}).`,
  { season, episode, titleId },
]) {}
export class EpisodeAlreadyPlaced extends refusal('conflict', (titleId: string, season: number, episode: number) => [
  `Title ${titleId} is already season ${season}, episode ${episode} of this series.`,
  { titleId, season, episode },
]) {}
export class SeriesAlreadyPublished extends refusal('conflict', (seriesId: string) => [
  `Series ${seriesId} is already published.`,
  { seriesId },
]) {}
export class SeriesNotPublished extends refusal('conflict', (seriesId: string) => [
  `Series ${seriesId} is not published.`,
  { seriesId },
]) {}
