import {
  checkpointIn,
  createMemoryCheckpointStore,
  createProcessor,
  type EventStore,
  type Logger,
  type RecordedEvent,
  readDomainEvent,
} from '@marquee/platform';

/*
 * What every node (edge and origin) must know from the log to serve a request: which titles are
 * withdrawn (their last TitlePublished/TitleUnpublished is an unpublish), which encoding of each
 * published title is the current one (a revision publishes the title again), and where each edge is
 * (its EdgeRegistered URL), so a manifest can name the session's other pathways. A processor
 * with its checkpoint in memory: the state is small and rebuilt from the start of the log at
 * every boot, which a filtered read makes quick.
 */

export type Catalog = {
  /** The title was unpublished, and not published again since. */
  isWithdrawn(titleId: string): boolean;
  /** The encoding the title is published with now; undefined when it is not published. */
  publishedEncoding(titleId: string): string | undefined;
  edgeUrl(edgeId: string): string | undefined;
};

export type CatalogState = { withdrawn: Set<string>; published: Map<string, string>; edges: Map<string, string> };

export const emptyCatalog = (): CatalogState => ({ withdrawn: new Set(), published: new Map(), edges: new Map() });

export const catalogEvents = ['TitlePublished', 'TitleUnpublished', 'EdgeRegistered'] as const;

/** Folds one event into the state (in place: the state is the follower's own). */
export const evolveCatalog = (state: CatalogState, recorded: RecordedEvent): CatalogState => {
  const event = readDomainEvent(recorded);
  if (event.type === 'TitlePublished') {
    state.withdrawn.delete(event.data.titleId);
    state.published.set(event.data.titleId, event.data.encodingId);
  } else if (event.type === 'TitleUnpublished') {
    state.withdrawn.add(event.data.titleId);
    state.published.delete(event.data.titleId);
  } else if (event.type === 'EdgeRegistered') state.edges.set(event.data.edgeId, event.data.url);
  return state;
};

export const catalogOf = (state: CatalogState): Catalog => ({
  isWithdrawn: (titleId) => state.withdrawn.has(titleId),
  publishedEncoding: (titleId) => state.published.get(titleId),
  edgeUrl: (edgeId) => state.edges.get(edgeId),
});

export type CatalogFollower = { catalog: Catalog; close(): Promise<void> };

/** Follows the log; resolves once it has caught up, so the node never serves on a half-read catalog. */
export const startCatalogFollower = async (options: {
  eventStore: EventStore;
  now: () => Date;
  logger?: Logger;
  onFatal?: (error: unknown) => void;
  /**
   * The withdrawn titles changed (and once when caught up): for a front that decides hits
   * without asking this program (nginx with njs), so it can refuse them too.
   */
  onWithdrawnChange?: (withdrawn: ReadonlySet<string>) => void;
}): Promise<CatalogFollower> => {
  const state = emptyCatalog();
  let caughtUp: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    caughtUp = resolve;
  });
  let closing = false;
  let live = false;
  const processor = createProcessor({
    name: 'catalog-follower',
    eventStore: options.eventStore,
    checkpoint: checkpointIn(createMemoryCheckpointStore(), 'catalog-follower'),
    filter: { eventTypes: [...catalogEvents] },
    now: options.now,
    ...(options.logger && { logger: options.logger }),
    handle: async (event) => {
      const before = state.withdrawn.size;
      evolveCatalog(state, event);
      if (live && before !== state.withdrawn.size) options.onWithdrawnChange?.(state.withdrawn);
    },
    onCaughtUp: () => {
      live = true;
      options.onWithdrawnChange?.(state.withdrawn);
      caughtUp();
    },
    onError: (error) => {
      if (!closing) options.onFatal?.(error);
    },
  });
  await processor.start();
  await Promise.race([ready, processor.done]);
  return {
    catalog: catalogOf(state),
    close: async () => {
      closing = true;
      await processor.stop();
    },
  };
};
