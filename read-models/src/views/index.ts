import type { AnyProjection } from '../projection';
import { accounts } from './accounts';
import { catalog } from './catalog';
import { continueWatching } from './continue-watching';
import { edgeInventory } from './edge-inventory';
import { edgeQoE } from './edge-qoe';
import { originEgress } from './origin-egress';
import { seriesDetail } from './series-detail';
import { sessionDelivery } from './session-delivery';
import { titleDetail } from './title-detail';
import { titlePopularity } from './title-popularity';
import { titleStats } from './title-stats';
import { watchHistory } from './watch-history';

export const allProjections: readonly AnyProjection[] = [
  catalog,
  titleDetail,
  seriesDetail,
  watchHistory,
  continueWatching,
  accounts,
  edgeInventory,
  titleStats,
  edgeQoE,
  sessionDelivery,
  originEgress,
  titlePopularity,
];

// Each view's document as a zod schema (what the APIs declare they answer) and its type.
export { type AccountProfile, type AccountView, accountProfile, accountView, profile } from './accounts';
export { type CatalogEntry, catalogEntry, catalogKinds } from './catalog';
export { type ContinueWatchingEntry, continueWatchingEntry, continueWatchingKey } from './continue-watching';
export {
  bucketFor,
  type DeliveryBucket,
  type DeliveryFigures,
  type DeliverySummary,
  type DeliveryWindow,
  daysOf,
  deliveryFigures,
  summarizeDelivery,
} from './delivery-figures';
export { type EdgeInventoryEntry, edgeInventoryEntry } from './edge-inventory';
export { type EdgeQoE, edgeQoEEntry } from './edge-qoe';
export { type OriginEgress, originEgressEntry } from './origin-egress';
export { emptyQoE, type QoE, qoe } from './qoe';
export { type SeriesDetail, seriesDetailDocument } from './series-detail';
export { type SessionDelivery, sessionDeliveryDocument } from './session-delivery';
export { type EncodingDetail, type TitleDetail, titleDetailDocument, titleStatuses } from './title-detail';
export {
  type EpisodePlaceOrNull,
  episodePlaceOrNull,
  type MarkerSpan,
  markerSpan,
  type PlayableTracks,
  playableTracks,
} from './title-fields';
export {
  createPopularityFromDocs,
  popularitySnapshotOf,
  type TitlePopularity,
  titlePopularityEntry,
} from './title-popularity';
export { type TitleStats, titleStatsEntry } from './title-stats';
export { type WatchHistoryEntry, watchHistoryEntry } from './watch-history';
export {
  accounts,
  catalog,
  continueWatching,
  edgeInventory,
  edgeQoE,
  originEgress,
  seriesDetail,
  sessionDelivery,
  titleDetail,
  titlePopularity,
  titleStats,
  watchHistory,
};
