import { refusal } from '../errors';
import type { MaturityRating } from '../title/title-events';

export class AboveMaturityLevel extends refusal('conflict', (rating: MaturityRating, level: MaturityRating) => [
  `This title is rated ${rating}, above this profile's maturity level (${level}).`,
  { rating, level },
]) {}
export class KidsMaturityCapExceeded extends refusal('invalid', (level: MaturityRating, cap: MaturityRating) => [
  `A kids profile's maturity level is at most ${cap}; ${level} is above it.`,
  { level, cap },
]) {}
