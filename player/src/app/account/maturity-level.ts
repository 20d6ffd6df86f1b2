/*
 * A profile's maturity level: the highest rating it may watch. The server holds every read and
 * playback start to it; the player only hides what it happens to get above it (belt and braces),
 * with the same ordering the domain uses.
 */
import { type MaturityRating, maturityRatings, type Profile } from '../api/types';

/** The level a kids profile has and cannot raise. */
export const kidsMaturityCap: MaturityRating = '7+';

/**
 * The profile's level. The API always names it; a profile this browser remembered from a player
 * older than levels has none, and gets the default: the kids cap, or everything.
 */
export const maturityLevelOf = (
  profile: Pick<Profile, 'kids'> & Partial<Pick<Profile, 'maturityLevel'>>,
): MaturityRating => profile.maturityLevel ?? (profile.kids ? kidsMaturityCap : '18+');

/** Whether a profile at `level` may see a title rated `rating`. */
export const allowsRating = (level: MaturityRating, rating: MaturityRating): boolean =>
  maturityRatings.indexOf(rating) <= maturityRatings.indexOf(level);

/** The items a profile at `level` may see, in their order. */
export const withinLevel = <T extends { maturityRating: MaturityRating }>(
  level: MaturityRating,
  items: readonly T[],
): T[] => items.filter((item) => allowsRating(level, item.maturityRating));

/** "all" → "All ages", "13+" → "13+": how a level reads on the profiles page. */
export const levelLabel = (level: MaturityRating): string => (level === 'all' ? 'All ages' : level);
