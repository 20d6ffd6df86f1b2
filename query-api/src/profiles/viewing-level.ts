import { allowsRating, type MaturityRating, stricterRating } from '@marquee/domain';
import { Forbidden, type Principal } from '@marquee/platform';
import { type CatalogEntry, catalog } from '@marquee/read-models';
import { idParam } from '../query-parameters';
import type { Views } from '../view-reader';
import { ownProfile } from './own-profile';

/*
 * The one place that decides what the profile asking may be shown: its maturity level, each
 * entry's rating as it is now (an episode's is the stricter of its own and its series'), and
 * whether the entry is published (an episode: and its series). Every read naming a title uses it.
 */

/** The profile a viewer's catalog read is held to; without it the catalog is the public one. */
export const profileIdParam = idParam('profile')
  .optional()
  .describe("Hold the answer to this profile's maturity level; it must be a profile of the signed-in viewer.");

/** The level reads are held to, or null for no profile (the public catalog). */
export type ViewingLevel = MaturityRating | null;

export const viewingLevel = async (
  views: Views,
  caller: Principal,
  profileId: string | undefined,
): Promise<ViewingLevel> => {
  if (profileId === undefined) return null;
  if (caller.role !== 'viewer')
    throw new Forbidden('profileId is for viewers: only the account that owns a profile can read as that profile.');
  return (await ownProfile(views, caller.accountId, profileId)).maturityLevel;
};

/** A catalog entry with its series, when it is an episode (undefined when that series is unknown). */
export type Placed = { entry: CatalogEntry; series: CatalogEntry | undefined };

/** The rating a viewer is held to now, or null when an episode's series is unknown. */
export const currentRating = ({ entry, series }: Placed): MaturityRating | null => {
  if (entry.kind !== 'episode') return entry.maturityRating;
  return series ? stricterRating(entry.maturityRating, series.maturityRating) : null;
};

/** Published, and for an episode its series too. */
export const isPublished = ({ entry, series }: Placed) =>
  entry.published && (entry.kind !== 'episode' || series?.published === true);

/** Within the level (everything is, for no profile); an unknown rating never is. */
export const allows = (level: ViewingLevel, placed: Placed) => {
  if (level === null) return true;
  const rating = currentRating(placed);
  return rating !== null && allowsRating(level, rating);
};

/** Whether a viewer at `level` may be shown the entry now. */
export const shows = (level: ViewingLevel, placed: Placed) => isPublished(placed) && allows(level, placed);

/** 403 for a title above the level, without naming it: a kids profile learns nothing about it. */
export class AboveMaturityLevel extends Forbidden {
  constructor(level: MaturityRating) {
    super(`This is above the maturity level of the profile asking (${level}).`, {
      code: 'AboveMaturityLevel',
      details: { level },
    });
  }
}

/** The catalog entries of these ids, each with its series when it is an episode: two reads. */
export const placeInCatalog = async (views: Views, ids: readonly string[]): Promise<Map<string, Placed>> => {
  const entries = await views(catalog).getMany(ids);
  const seriesIds = [...entries.values()].flatMap((entry) => (entry.episodeOf ? [entry.episodeOf.seriesId] : []));
  const series = await views(catalog).getMany(seriesIds);
  return new Map(
    [...entries].map(([id, entry]) => [
      id,
      { entry, series: entry.episodeOf ? series.get(entry.episodeOf.seriesId) : undefined },
    ]),
  );
};
