import type { Decider } from '../decider';
import {
  EdgeNotRegistered,
  EncodingNotHeld,
  FillLargerThanEdge,
  FillNotStarted,
  InsufficientCapacity,
  InvalidEdgeConfig,
} from './edge-errors';
import type { EdgeEvent, EvictionReason } from './edge-events';

export type EdgeConfig = { url: string; region: string; capacityBytes: number; upstream: string };
/** `bytes`: what it takes on the edge's disk, a file shared with another held package counted for one of them. */
export type StoredEncoding = { titleId: string; encodingId: string; bytes: number };
/** Of a completed package's bytes, those a held package of the title (`encodingId`) shared with it by hard link. */
export type SharedBytes = { encodingId: string; bytes: number };
type Content = { titleId: string; encodingId: string };

export type EdgeCommand =
  | ({ type: 'RegisterEdge'; edgeId: string; at: string } & EdgeConfig)
  | (Content & { type: 'StartFill'; bytes: number; at: string })
  | (Content & {
      type: 'CompleteFill';
      bytes: number;
      seconds: number;
      downloadedBytes?: number;
      reusedBytes?: number;
      shared?: SharedBytes[];
      at: string;
    })
  | (Content & { type: 'FailFill'; reason: string; at: string })
  | (Content & { type: 'EvictEncoding'; reason: EvictionReason; kept?: SharedBytes[]; at: string });

export type EdgeState =
  | { status: 'unregistered' }
  | { status: 'registered'; edgeId: string; config: EdgeConfig; held: StoredEncoding[]; filling: StoredEncoding[] };

type Registered = Extract<EdgeState, { status: 'registered' }>;

const same = (a: Content) => (b: Content) => a.titleId === b.titleId && a.encodingId === b.encodingId;
const sum = (items: StoredEncoding[]) => items.reduce((total, item) => total + item.bytes, 0);

/** Bytes neither held nor promised to a fill in progress. */
export const freeBytes = (state: Registered): number =>
  state.config.capacityBytes - sum(state.held) - sum(state.filling);

const isHttpUrl = (value: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

const validConfig = (config: EdgeConfig): EdgeConfig => {
  if (!isHttpUrl(config.url)) throw new InvalidEdgeConfig(`url "${config.url}" is not an http(s) URL`);
  if (!isHttpUrl(config.upstream)) throw new InvalidEdgeConfig(`upstream "${config.upstream}" is not an http(s) URL`);
  if (new URL(config.upstream).href === new URL(config.url).href)
    throw new InvalidEdgeConfig('an edge cannot be its own upstream');
  if (config.region.trim() === '') throw new InvalidEdgeConfig('region is empty');
  if (!Number.isSafeInteger(config.capacityBytes) || config.capacityBytes <= 0)
    throw new InvalidEdgeConfig('capacity must be a positive whole number of bytes');
  return config;
};

const decide = (command: EdgeCommand, state: EdgeState): EdgeEvent[] => {
  if (command.type === 'RegisterEdge') {
    const { type: _, edgeId, at, ...config } = command;
    validConfig(config);
    // An edge registers at every start: the same configuration again is no news.
    if (state.status === 'registered' && JSON.stringify(state.config) === JSON.stringify(config)) return [];
    return [{ type: 'EdgeRegistered', data: { edgeId, ...config, at } }];
  }
  if (state.status !== 'registered') throw new EdgeNotRegistered();
  const { edgeId } = state;
  const { titleId, encodingId, at } = command;
  const isThis = same(command);
  const held = state.held.some(isThis);
  const filling = state.filling.some(isThis);
  switch (command.type) {
    case 'StartFill': {
      // A fill resumed after a restart, or of something already here, starts nothing new.
      if (held || filling) return [];
      if (command.bytes > state.config.capacityBytes)
        throw new FillLargerThanEdge(command.bytes, state.config.capacityBytes);
      const free = freeBytes(state);
      if (command.bytes > free) throw new InsufficientCapacity(command.bytes, free);
      return [{ type: 'EdgeFillStarted', data: { edgeId, titleId, encodingId, bytes: command.bytes, at } }];
    }
    case 'CompleteFill': {
      if (held) return [];
      if (!filling) throw new FillNotStarted(titleId, encodingId);
      const { bytes, seconds, downloadedBytes, reusedBytes } = command;
      const shared = heldShares(state, titleId, command.shared);
      const split = {
        ...(downloadedBytes !== undefined && { downloadedBytes }),
        ...(reusedBytes !== undefined && { reusedBytes }),
        ...(shared.length > 0 && { shared }),
      };
      return [{ type: 'EdgeFillCompleted', data: { edgeId, titleId, encodingId, bytes, seconds, ...split, at } }];
    }
    case 'FailFill': {
      if (!filling) throw new FillNotStarted(titleId, encodingId);
      return [{ type: 'EdgeFillFailed', data: { edgeId, titleId, encodingId, reason: command.reason, at } }];
    }
    case 'EvictEncoding': {
      const stored = state.held.find(isThis) ?? state.filling.find(isThis);
      if (!stored) throw new EncodingNotHeld(titleId, encodingId);
      // What it holds now, less the files another revision still links (never more than it held):
      // removing it frees the rest.
      const { reason } = command;
      let freed = stored.bytes;
      const kept = (held ? heldShares(state, titleId, command.kept, encodingId) : []).flatMap((share) => {
        const bytes = Math.min(share.bytes, freed);
        freed -= bytes;
        return bytes > 0 ? [{ ...share, bytes }] : [];
      });
      return [
        {
          type: 'EdgeEvicted',
          data: { edgeId, titleId, encodingId, bytes: freed, reason, ...(kept.length > 0 && { kept }), at },
        },
      ];
    }
  }
};

/** Of the shares a command names, those of a held package of the title (other than `except`): only one can link its files. */
const heldShares = (state: Registered, titleId: string, shares: readonly SharedBytes[] = [], except?: string) =>
  shares.filter(
    (share) =>
      share.bytes > 0 &&
      share.encodingId !== except &&
      state.held.some(same({ titleId, encodingId: share.encodingId })),
  );

/** The held packages of the title, each with `sign` × the bytes the shares name for it (never below 0). */
const withShares = <Held extends StoredEncoding>(
  held: readonly Held[],
  titleId: string,
  shares: readonly SharedBytes[],
  sign: 1 | -1,
): Held[] =>
  held.map((item) => {
    if (item.titleId !== titleId) return item;
    const moved = shares
      .filter((share) => share.encodingId === item.encodingId)
      .reduce((total, share) => total + share.bytes, 0);
    return moved === 0 ? item : { ...item, bytes: Math.max(0, item.bytes + sign * moved) };
  });

/** The held packages after a new one took over the bytes they shared with it (see EdgeFillCompleted.shared). */
export const withSharesMoved = <Held extends StoredEncoding>(
  held: readonly Held[],
  titleId: string,
  shared: readonly SharedBytes[] = [],
): Held[] => withShares(held, titleId, shared, -1);

/** The held packages after an evicted one left them the files they still link (see EdgeEvicted.kept). */
export const withSharesKept = <Held extends StoredEncoding>(
  held: readonly Held[],
  titleId: string,
  kept: readonly SharedBytes[] = [],
): Held[] => withShares(held, titleId, kept, 1);

const evolve = (state: EdgeState, event: EdgeEvent): EdgeState => {
  if (event.type === 'EdgeRegistered') {
    const { edgeId, url, region, capacityBytes, upstream } = event.data;
    const config = { url, region, capacityBytes, upstream };
    return state.status === 'registered'
      ? { ...state, config }
      : { status: 'registered', edgeId, config, held: [], filling: [] };
  }
  if (state.status !== 'registered') return state;
  const { titleId, encodingId } = event.data;
  const others = (items: StoredEncoding[]) => items.filter((item) => !same({ titleId, encodingId })(item));
  switch (event.type) {
    case 'EdgeFillStarted':
      return { ...state, filling: [...state.filling, { titleId, encodingId, bytes: event.data.bytes }] };
    case 'EdgeFillCompleted':
      return {
        ...state,
        filling: others(state.filling),
        held: [
          ...withSharesMoved(state.held, titleId, event.data.shared),
          { titleId, encodingId, bytes: event.data.bytes },
        ],
      };
    case 'EdgeFillFailed':
      return { ...state, filling: others(state.filling) };
    case 'EdgeEvicted':
      return {
        ...state,
        filling: others(state.filling),
        held: withSharesKept(others(state.held), titleId, event.data.kept),
      };
  }
};

export const edgeDecider: Decider<EdgeCommand, EdgeState, EdgeEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'unregistered' }),
};
