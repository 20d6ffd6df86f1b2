import type { EncodeJob } from '@marquee/encoder-workers';
import {
  type CheckpointStore,
  defineOperationFor,
  type EventStore,
  type Operation,
  type OperationContext,
  type ViewStore,
} from '@marquee/platform';
import type { AnyProjection } from '@marquee/projections';
import type { Queue } from 'bullmq';
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
  encodeQueue: Queue<EncodeJob> | undefined;
};

export const defineQueryOperation = defineOperationFor<QueryContext>();
