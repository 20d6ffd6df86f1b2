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

/** A decayed count: its value as of `atMs`. */
type Decayed = { value: number; atMs: number };

export type RankedTitle = { titleId: string; score: number };

/** What a popularity table keeps, to be saved in a checkpoint and restored. */
export type PopularitySnapshot = {
  plays: [region: string, titleId: string, value: number, atMs: number][];
  priors: [titleId: string, value: number, atMs: number][];
  published: string[];
};

const anyRegion = '*';

export const createPopularity = (model: PopularityModel = defaultPopularityModel) => {
  const halfLifeMs = model.halfLifeHours * 3_600_000;
  const decayed = (entry: Decayed | undefined, atMs: number) =>
    entry ? entry.value * 2 ** (-Math.max(0, atMs - entry.atMs) / halfLifeMs) : 0;
  const add = (entry: Decayed | undefined, amount: number, atMs: number): Decayed => ({
    value: decayed(entry, atMs) + amount,
    atMs: Math.max(atMs, entry?.atMs ?? atMs),
  });
  /** region → title → plays. */
  const plays = new Map<string, Map<string, Decayed>>();
  const priors = new Map<string, Decayed>();
  /** Titles that may be watched now: published and not withdrawn. */
  const published = new Set<string>();

  const score = (region: string | null, titleId: string, atMs: number) =>
    decayed(plays.get(region ?? anyRegion)?.get(titleId), atMs) +
    (region === null ? 0 : decayed(plays.get(anyRegion)?.get(titleId), atMs)) +
    decayed(priors.get(titleId), atMs);

  return {
    /** A play started (PlaybackStarted), in the viewer's region or none. */
    play(region: string | null, titleId: string, atMs: number) {
      const key = region ?? anyRegion;
      const titles = plays.get(key) ?? new Map<string, Decayed>();
      titles.set(titleId, add(titles.get(titleId), 1, atMs));
      plays.set(key, titles);
    },
    /** TitlePublished: the first publish of a title gives it the new-release prior. */
    published(titleId: string, atMs: number) {
      published.add(titleId);
      if (!priors.has(titleId)) priors.set(titleId, { value: model.newReleasePlays, atMs });
    },
    /** TitleUnpublished: no longer ranked (its plays are kept, should it come back). */
    withdrawn(titleId: string) {
      published.delete(titleId);
    },
    score,
    /** The published titles, most popular first in `region` (ties by title id, so the order is stable). */
    ranked(region: string | null, atMs: number): RankedTitle[] {
      return [...published]
        .map((titleId) => ({ titleId, score: score(region, titleId, atMs) }))
        .sort((a, b) => b.score - a.score || a.titleId.localeCompare(b.titleId));
    },
    snapshot(): PopularitySnapshot {
      return {
        plays: [...plays].flatMap(([region, titles]) =>
          [...titles].map(([titleId, entry]): [string, string, number, number] => [
            region,
            titleId,
            entry.value,
            entry.atMs,
          ]),
        ),
        priors: [...priors].map(([titleId, entry]): [string, number, number] => [titleId, entry.value, entry.atMs]),
        published: [...published],
      };
    },
    restore(snapshot: PopularitySnapshot) {
      plays.clear();
      priors.clear();
      published.clear();
      for (const [region, titleId, value, atMs] of snapshot.plays) {
        const titles = plays.get(region) ?? new Map<string, Decayed>();
        titles.set(titleId, { value, atMs });
        plays.set(region, titles);
      }
      for (const [titleId, value, atMs] of snapshot.priors) priors.set(titleId, { value, atMs });
      for (const titleId of snapshot.published) published.add(titleId);
    },
  };
};

export type Popularity = ReturnType<typeof createPopularity>;
