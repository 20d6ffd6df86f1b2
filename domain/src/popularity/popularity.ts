/*
 * Predicted popularity per region: each play adds one, decaying by half every `halfLifeHours`;
 * a title's first publish gives it a prior of `newReleasePlays` plays in every region, decaying
 * the same way, so a new release is filled before anyone has watched it. Plays whose viewer gave
 * no region count in every region. Pure: time comes in with each call, so the edges' fill
 * policy, the analysts' view and the simulator fold the same log to the same scores.
 */

export type PopularityModel = {
  /** Hours after which a play counts half. */
  halfLifeHours: number;
  /** What a new release is worth at its first publish, in plays. */
  newReleasePlays: number;
};

export const defaultPopularityModel: PopularityModel = { halfLifeHours: 72, newReleasePlays: 3 };

export type RankedTitle = { titleId: string; score: number };

/** What a popularity table keeps, to be saved in a checkpoint and restored: each count as of `atMs`. */
export type PopularitySnapshot = {
  plays: [region: string, titleId: string, value: number, atMs: number][];
  priors: [titleId: string, value: number, atMs: number][];
  published: string[];
};

const anyRegion = '*';
/** Past this many half-lives from the reference time, counts are rescaled so they stay finite. */
const rescaleAfterHalfLives = 512;

/*
 * Every count decays at the same rate, so each is kept as its value at one reference time
 * (`referenceMs`): a play at t adds 2^((t − reference) / half-life), and a score at t is the sum
 * times 2^(−(t − reference) / half-life). Ranking then compares the kept sums, with no
 * exponentiation per title, and a ranking never changes with time alone, only with plays and
 * publishes. When plays run far past the reference every count is rescaled to a later one.
 */
export const createPopularity = (model: PopularityModel = defaultPopularityModel) => {
  const halfLifeMs = model.halfLifeHours * 3_600_000;
  let referenceMs: number | null = null;
  /** region → title → plays, as of the reference time. */
  const plays = new Map<string, Map<string, number>>();
  const priors = new Map<string, number>();
  /** Titles that may be watched now: published and not withdrawn. */
  const published = new Set<string>();

  const rescaleTo = (atMs: number) => {
    if (referenceMs !== null) {
      const factor = 2 ** (-(atMs - referenceMs) / halfLifeMs);
      for (const titles of plays.values()) for (const [titleId, value] of titles) titles.set(titleId, value * factor);
      for (const [titleId, value] of priors) priors.set(titleId, value * factor);
    }
    referenceMs = atMs;
  };
  /** What `amount` at `atMs` is worth at the reference time. */
  const weight = (amount: number, atMs: number) => {
    if (referenceMs === null || (atMs - referenceMs) / halfLifeMs > rescaleAfterHalfLives) rescaleTo(atMs);
    return amount * 2 ** ((atMs - (referenceMs as number)) / halfLifeMs);
  };
  const decayTo = (atMs: number) => (referenceMs === null ? 0 : 2 ** (-(atMs - referenceMs) / halfLifeMs));
  /** A title's count in a region as of the reference time. */
  const kept = (region: string | null, titleId: string) =>
    (plays.get(region ?? anyRegion)?.get(titleId) ?? 0) +
    (region === null ? 0 : (plays.get(anyRegion)?.get(titleId) ?? 0)) +
    (priors.get(titleId) ?? 0);

  const score = (region: string | null, titleId: string, atMs: number) => kept(region, titleId) * decayTo(atMs);

  return {
    /** A play started (PlaybackStarted), in the viewer's region or none. */
    play(region: string | null, titleId: string, atMs: number) {
      const key = region ?? anyRegion;
      const added = weight(1, atMs);
      const titles = plays.get(key) ?? new Map<string, number>();
      titles.set(titleId, (titles.get(titleId) ?? 0) + added);
      plays.set(key, titles);
    },
    /** TitlePublished: the first publish of a title gives it the new-release prior. */
    published(titleId: string, atMs: number) {
      published.add(titleId);
      if (!priors.has(titleId)) priors.set(titleId, weight(model.newReleasePlays, atMs));
    },
    /** TitleUnpublished: no longer ranked (its plays are kept, should it come back). */
    withdrawn(titleId: string) {
      published.delete(titleId);
    },
    score,
    /** The published titles, most popular first in `region` (ties by title id, compared by code unit). */
    ranked(region: string | null, atMs: number): RankedTitle[] {
      const factor = decayTo(atMs);
      return [...published]
        .map((titleId) => ({ titleId, kept: kept(region, titleId) }))
        .sort((a, b) => b.kept - a.kept || (a.titleId < b.titleId ? -1 : a.titleId > b.titleId ? 1 : 0))
        .map(({ titleId, kept }) => ({ titleId, score: kept * factor }));
    },
    snapshot(): PopularitySnapshot {
      const at = referenceMs ?? 0;
      return {
        plays: [...plays].flatMap(([region, titles]) =>
          [...titles].map(([titleId, value]): [string, string, number, number] => [region, titleId, value, at]),
        ),
        priors: [...priors].map(([titleId, value]): [string, number, number] => [titleId, value, at]),
        published: [...published],
      };
    },
    restore(snapshot: PopularitySnapshot) {
      plays.clear();
      priors.clear();
      published.clear();
      const times = [...snapshot.plays.map((entry) => entry[3]), ...snapshot.priors.map((entry) => entry[2])];
      referenceMs = times.length > 0 ? Math.max(...times) : null;
      const asOfReference = (value: number, atMs: number) => value * 2 ** ((atMs - (referenceMs ?? atMs)) / halfLifeMs);
      for (const [region, titleId, value, atMs] of snapshot.plays) {
        const titles = plays.get(region) ?? new Map<string, number>();
        titles.set(titleId, (titles.get(titleId) ?? 0) + asOfReference(value, atMs));
        plays.set(region, titles);
      }
      for (const [titleId, value, atMs] of snapshot.priors) priors.set(titleId, asOfReference(value, atMs));
      for (const titleId of snapshot.published) published.add(titleId);
    },
  };
};

export type Popularity = ReturnType<typeof createPopularity>;
