import {
  createPopularity,
  type MarqueeEvent,
  type PopularityModel,
  type PopularitySnapshot,
  packageKey,
  type RankedPackage,
} from '@marquee/domain';
import { z } from 'zod';

/*
 * What an edge keeps from the log to predict its region's demand: the domain's decayed
 * popularity, folded from its own region's plays (and plays with no region, which count
 * everywhere), and, for each published title, the encoding published and its bytes, so the fill
 * policy can tell what fits. Pure: the processor that feeds it saves `snapshot()` with its
 * checkpoint, so a restart folds only what is new.
 */

const snapshotSchema = z.object({
  popularity: z.object({
    plays: z.array(z.tuple([z.string(), z.string(), z.number(), z.number()])),
    priors: z.array(z.tuple([z.string(), z.number(), z.number()])),
    published: z.array(z.string()),
  }),
  /** `titleId/encodingId` → the package's bytes, from EncodingSucceeded. */
  packageBytes: z.array(z.tuple([z.string(), z.number()])),
  /** titleId → the encoding published. */
  publishedEncodings: z.array(z.tuple([z.string(), z.string()])),
});
export type RegionalDemandSnapshot = z.infer<typeof snapshotSchema>;

/** The events the fold reads; the processor's filter. */
export const regionalDemandEvents = ['PlaybackStarted', 'TitlePublished', 'TitleUnpublished', 'EncodingSucceeded'];

export const createRegionalDemand = (region: string, model: PopularityModel) => {
  const popularity = createPopularity(model);
  const packageBytes = new Map<string, number>();
  const publishedEncodings = new Map<string, string>();

  return {
    /** Folds one event; true when it can change what the region is predicted to watch. */
    apply(event: MarqueeEvent): boolean {
      switch (event.type) {
        case 'PlaybackStarted': {
          const { region: viewerRegion, titleId, at } = event.data;
          // Another region's plays say nothing about this one; a play with no region counts everywhere.
          if (viewerRegion !== null && viewerRegion !== region) return false;
          popularity.play(viewerRegion, titleId, Date.parse(at));
          return true;
        }
        case 'EncodingSucceeded':
          packageBytes.set(packageKey(event.data), event.data.packageIndex.bytes);
          return publishedEncodings.get(event.data.titleId) === event.data.encodingId;
        case 'TitlePublished':
          publishedEncodings.set(event.data.titleId, event.data.encodingId);
          popularity.published(event.data.titleId, Date.parse(event.data.at));
          return true;
        case 'TitleUnpublished':
          if (publishedEncodings.get(event.data.titleId) !== event.data.encodingId) return false;
          publishedEncodings.delete(event.data.titleId);
          popularity.withdrawn(event.data.titleId);
          return true;
        default:
          return false;
      }
    },

    /** Published titles, most popular first, each with its published package and bytes (unknown bytes are left out). */
    ranked(atMs: number): RankedPackage[] {
      return popularity.ranked(region, atMs).flatMap(({ titleId, score }) => {
        const encodingId = publishedEncodings.get(titleId);
        const bytes = encodingId && packageBytes.get(packageKey({ titleId, encodingId }));
        return encodingId && bytes ? [{ titleId, encodingId, bytes, score }] : [];
      });
    },

    /** Predicted popularity by title id, for eviction. */
    scores(atMs: number): Map<string, number> {
      return new Map(popularity.ranked(region, atMs).map(({ titleId, score }) => [titleId, score]));
    },

    bytesOf: (item: { titleId: string; encodingId: string }) => packageBytes.get(packageKey(item)),

    snapshot: (): RegionalDemandSnapshot => ({
      popularity: popularity.snapshot(),
      packageBytes: [...packageBytes],
      publishedEncodings: [...publishedEncodings],
    }),

    restore(saved: unknown) {
      const parsed = snapshotSchema.parse(saved);
      popularity.restore(parsed.popularity as PopularitySnapshot);
      packageBytes.clear();
      publishedEncodings.clear();
      for (const [key, bytes] of parsed.packageBytes) packageBytes.set(key, bytes);
      for (const [titleId, encodingId] of parsed.publishedEncodings) publishedEncodings.set(titleId, encodingId);
    },
  };
};

export type RegionalDemand = ReturnType<typeof createRegionalDemand>;
