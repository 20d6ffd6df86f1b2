// The runner's files import the projection types from here; they live with the views in read-models.
export type { AnyProjection, EventMeta, ProjectedEvent } from '@marquee/read-models';
