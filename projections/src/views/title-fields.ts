import type { maturityRatings } from '@marquee/domain';

export type MaturityRating = (typeof maturityRatings)[number];

/** The encoder writes the poster beside the manifest. */
export const posterPathOf = (manifestPath: string) =>
  `${manifestPath.slice(0, manifestPath.lastIndexOf('/') + 1)}poster.jpg`;
