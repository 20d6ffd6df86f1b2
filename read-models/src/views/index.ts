import type { AnyProjection } from '../projection';
import { accounts } from './accounts';
import { catalog } from './catalog';
import { continueWatching } from './continue-watching';
import { edgeInventory } from './edge-inventory';
import { edgeQoE } from './edge-qoe';
import { titleDetail } from './title-detail';
import { titleStats } from './title-stats';
import { watchHistory } from './watch-history';

export const allProjections: readonly AnyProjection[] = [
  catalog,
  titleDetail,
  watchHistory,
  continueWatching,
  accounts,
  edgeInventory,
  titleStats,
  edgeQoE,
];

export type { AccountView } from './accounts';
export type { CatalogEntry } from './catalog';
export type { ContinueWatchingEntry } from './continue-watching';
export type { EdgeInventoryEntry } from './edge-inventory';
export type { EdgeQoE } from './edge-qoe';
export { emptyQoE, type QoE } from './qoe';
export type { TitleDetail } from './title-detail';
export type { TitleStats } from './title-stats';
export type { WatchHistoryEntry } from './watch-history';
export { accounts, catalog, continueWatching, edgeInventory, edgeQoE, titleDetail, titleStats, watchHistory };
