import {
  type CheckpointStore,
  defineOperationFor,
  type EdgeHealth,
  type EncodingStatusReader,
  type EventStore,
  type Logger,
  type Operation,
  type OperationContext,
  type ViewStore,
} from '@marquee/platform';
import type { AnyProjection } from '@marquee/read-models';
import type { Registry } from 'prom-client';

/** What every query handler may use: the stores and settings the app was built with. */
export type QueryContext = OperationContext & {
  viewStore: ViewStore;
  /** Where the projections' checkpoints are: for lag, and to know when a cached read is stale. */
  checkpoints: CheckpointStore;
  eventStore: EventStore;
  projections: readonly AnyProjection[];
  readyMaxLag: number;
  metrics: Registry;
  operations: readonly Operation<QueryContext>[];
  encodings: EncodingStatusReader | undefined;
  steering: SteeringSettings;
  logger: Logger;
  /** The clock analytics count their default window and decay popularity by. */
  now: () => Date;
};

/** What content steering needs: live edge health, the secret content tokens are signed with, how often players ask. */
export type SteeringSettings = { edgeHealth: EdgeHealth; contentTokenSecret: string; ttlSeconds: number };

export const defineQueryOperation = defineOperationFor<QueryContext>();
