import { type MaturityRating, maturityRatings } from '../title/title-events';

/**
 * Maturity: a title carries a rating, a profile a level (the highest rating it may watch). The
 * ratings are ordered, so "may this profile see this title" is one comparison, made on the
 * server for every read that names a title and every playback start.
 */
export const maturityRank = (rating: MaturityRating): number => maturityRatings.indexOf(rating);

/** Whether a profile at `level` may see and play a title rated `rating`. */
export const allowsRating = (level: MaturityRating, rating: MaturityRating): boolean =>
  maturityRank(rating) <= maturityRank(level);

/** The levels that may see a title rated `rating` (that rating and every level above it). */
export const levelsAllowing = (rating: MaturityRating): MaturityRating[] =>
  maturityRatings.filter((level) => allowsRating(level, rating));

/** The highest level a kids profile may have; it cannot be raised from the profile. */
export const kidsMaturityCap: MaturityRating = '7+';

/** A new profile's level when none is chosen: the kids cap, or everything for an adult. */
export const defaultMaturityLevel = (kids: boolean): MaturityRating => (kids ? kidsMaturityCap : '18+');

/** The stricter of two ratings: an episode is rated at least as its series is. */
export const stricterRating = (a: MaturityRating, b: MaturityRating): MaturityRating =>
  maturityRank(a) >= maturityRank(b) ? a : b;
