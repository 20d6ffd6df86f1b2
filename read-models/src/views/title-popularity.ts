import { createPopularity, type PopularityModel, type PopularitySnapshot } from '@marquee/domain';
import { z } from 'zod';
import { defineProjection } from '../projection';

/*
 * Predicted popularity, one document per title: its decayed plays per region and its
 * new-release prior, each with the time it is valued at, folded by the domain's own model
 * (the one edges fill by and the simulator replays). A reader merges the published titles'
 * documents and decays them to the time it asks about, so a score is never stale.
 */

const decayed = z.object({ value: z.number(), atMs: z.number() });

export const titlePopularityEntry = z.object({
  titleId: z.string(),
  published: z.boolean(),
  /** Region (`*`: plays whose viewer gave none) → decayed plays. */
  plays: z.record(z.string(), decayed),
  prior: decayed.nullable(),
});
export type TitlePopularity = z.infer<typeof titlePopularityEntry>;

/** The documents as one snapshot of the domain's popularity table, to restore and rank. */
export const popularitySnapshotOf = (docs: Iterable<TitlePopularity>): PopularitySnapshot => {
  const snapshot: PopularitySnapshot = { plays: [], priors: [], published: [] };
  for (const doc of docs) {
    for (const [region, { value, atMs }] of Object.entries(doc.plays))
      snapshot.plays.push([region, doc.titleId, value, atMs]);
    if (doc.prior) snapshot.priors.push([doc.titleId, doc.prior.value, doc.prior.atMs]);
    if (doc.published) snapshot.published.push(doc.titleId);
  }
  return snapshot;
};

/** The domain's popularity table holding these documents, to rank at any time. */
export const createPopularityFromDocs = (docs: Iterable<TitlePopularity>, model?: PopularityModel) => {
  const popularity = createPopularity(model);
  popularity.restore(popularitySnapshotOf(docs));
  return popularity;
};

const documentOf = (titleId: string, snapshot: PopularitySnapshot): TitlePopularity => {
  const prior = snapshot.priors.find(([id]) => id === titleId);
  return {
    titleId,
    published: snapshot.published.includes(titleId),
    plays: Object.fromEntries(
      snapshot.plays.filter(([, id]) => id === titleId).map(([region, , value, atMs]) => [region, { value, atMs }]),
    ),
    prior: prior ? { value: prior[1], atMs: prior[2] } : null,
  };
};

export const titlePopularity = defineProjection<
  TitlePopularity,
  'PlaybackStarted' | 'TitlePublished' | 'TitleUnpublished'
>({
  name: 'title-popularity',
  version: 1,
  eventTypes: ['PlaybackStarted', 'TitlePublished', 'TitleUnpublished'],
  collection: { indexes: { published: 'value' } },
  key: (event) => event.data.titleId,
  evolve: (doc, event, titleId) => {
    const popularity = createPopularity();
    if (doc) popularity.restore(popularitySnapshotOf([doc]));
    const atMs = Date.parse(event.data.at);
    if (event.type === 'PlaybackStarted') popularity.play(event.data.region, titleId, atMs);
    else if (event.type === 'TitlePublished') popularity.published(titleId, atMs);
    else popularity.withdrawn(titleId);
    return documentOf(titleId, popularity.snapshot());
  },
});
